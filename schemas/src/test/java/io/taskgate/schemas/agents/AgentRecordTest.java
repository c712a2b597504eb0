package io.taskgate.schemas.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentRecordTest {
    private static final AgentRecord AGENT = new AgentRecord("agt_1", "bot", null, List.of("echo"), List.of("*"),
            Instant.EPOCH, "-----BEGIN PUBLIC KEY-----", "whsec_c2VjcmV0", false, null, null);

    @Test
    void shouldMaskTheWebhookSecretWhenPrinted() {
        String printed = AGENT.rotateWebhookSecret("whsec_bmV3", Instant.EPOCH.plusSeconds(60)).toString();
        assertFalse(printed.contains("whsec_c2VjcmV0"), printed);
        assertFalse(printed.contains("whsec_bmV3"), printed);
        assertTrue(printed.contains("agt_1"), printed);
        assertTrue(AGENT.disable().disabled());
    }

    @Test
    void shouldSignWithBothSecretsOnlyUntilThePreviousOneExpires() {
        Instant rotatedAt = Instant.parse("2026-01-01T00:00:00Z");
        AgentRecord rotated = AGENT.rotateWebhookSecret("whsec_bmV3", rotatedAt.plus(Duration.ofHours(24)));
        assertEquals(List.of("whsec_bmV3", "whsec_c2VjcmV0"), rotated.webhookSecretsAt(rotatedAt.plusSeconds(1)));
        assertEquals(List.of("whsec_bmV3"), rotated.webhookSecretsAt(rotatedAt.plus(Duration.ofHours(24))));
        assertEquals(List.of("whsec_c2VjcmV0"), AGENT.webhookSecretsAt(rotatedAt));
    }
}
