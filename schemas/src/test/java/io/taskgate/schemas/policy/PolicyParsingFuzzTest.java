package io.taskgate.schemas.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of {@link PolicyParser#parse}: any document either becomes a policy or
 * is refused with a {@link PolicyException} naming a line of it; any other exception (a YAML
 * library error that slipped through, a ClassCastException, a StackOverflowError on deep nesting)
 * is a finding. The inputs in {@code PolicyParsingFuzzTestInputs} are real policy documents.
 */
class PolicyParsingFuzzTest {

    // Dictionary entries hold no newline or tab: libFuzzer's dictionary format cannot carry them.
    @FuzzTest(maxDuration = "20s")
    @DictionaryEntries({"version: 1", "defaults:", "global:", "ingress:", "tasks:", "  rate_limit: ", "/minute", "/hour",
            "/second", "/day", "ip_allowlist:", "per_ip_rate_limit:", "allowed_agents:", "blocked_domains:", "route:", "public:",
            "pool:", "\"*.", ".*\":", "10.0.0.0/8", "::1/128", "&a", "*a", "!!", "- ", "{", "[", "true"})
    void parseReturnsAPolicyOrThrowsPolicyException(byte[] input) {
        String document = new String(input, StandardCharsets.UTF_8);
        try {
            Policy policy = PolicyParser.parse(document);
            assertEquals(1, policy.version());
        } catch (PolicyException refused) {
            assertTrue(refused.line() >= 1, "a refusal names a line: " + refused.getMessage());
        }
    }
}
