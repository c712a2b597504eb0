package io.taskgate.ingress.tasks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.taskgate.ingress.http.ApiException;
import io.taskgate.ingress.http.JsonBodies;
import io.taskgate.platform.net.CallbackUrl;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Coverage-guided fuzzing of what ingress reads from a task request: the JSON body
 * ({@link JsonBodies#parse}, then {@link SubmitRequest#from}), the {@code Prefer} header and the
 * {@code wait} query parameter ({@link WaitPreference}) and the {@code Idempotency-Key} header
 * ({@link IdempotencyKey}). Bad input may only ever end in an {@link ApiException}, the error
 * shape; anything else (a NullPointerException, a NumberFormatException, a StackOverflowError)
 * is a finding.
 *
 * <p>One input feeds all four parsers, split at NUL bytes: the body, then the {@code Prefer}
 * values, the {@code wait} values and the {@code Idempotency-Key} values, each list separated by
 * newlines and read as ISO-8859-1, as HTTP headers are. The inputs in
 * {@code RequestParsingFuzzTestInputs/requestPartsAreReadOrRefusedInTheErrorShape} are readable
 * examples of that format; {@code mvn verify} runs them, {@code JAZZER_FUZZ=1} fuzzes from them.
 */
class RequestParsingFuzzTest {
    private final JsonBodies bodies = new JsonBodies(1 << 20);

    @FuzzTest(maxDuration = "20s")
    @DictionaryEntries({"\"input\"", "\"callback_url\"", "https://", "http://", "@", "wait=", "\"", ";", ",", "null", "{", "}", "["})
    void requestPartsAreReadOrRefusedInTheErrorShape(byte[] input) {
        List<byte[]> parts = splitAtNul(input, 4);
        try {
            SubmitRequest request = SubmitRequest.from(bodies.parse(parts.get(0)), false);
            assertTrue(request.input() != null, "an accepted body has an input");
            assertTrue(request.callbackUrl() == null || request.callbackUrl().length() <= CallbackUrl.MAX_LENGTH);
        } catch (ApiException refused) {
            // The documented way to refuse a body.
        }

        Duration preferred = WaitPreference.fromPrefer(lines(parts.get(1)));
        assertTrue(!preferred.isNegative() && preferred.compareTo(WaitPreference.MAX) <= 0, preferred.toString());

        try {
            Duration waited = WaitPreference.fromQuery(lines(parts.get(2)));
            assertTrue(!waited.isNegative() && waited.compareTo(WaitPreference.MAX) <= 0, waited.toString());
        } catch (ApiException refused) {
            // The documented way to refuse a wait parameter.
        }

        try {
            Optional<String> key = IdempotencyKey.from(lines(parts.get(3)));
            assertTrue(key.isEmpty() || IdempotencyKey.isValid(key.get()), key.toString());
        } catch (ApiException refused) {
            // The documented way to refuse a key.
        }
    }

    /** The input cut at its first {@code count - 1} NUL bytes, padded with empty parts. */
    private static List<byte[]> splitAtNul(byte[] input, int count) {
        List<byte[]> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < input.length && parts.size() < count - 1; i++) {
            if (input[i] == 0) {
                parts.add(Arrays.copyOfRange(input, start, i));
                start = i + 1;
            }
        }
        parts.add(Arrays.copyOfRange(input, start, input.length));
        while (parts.size() < count) {
            parts.add(new byte[0]);
        }
        return parts;
    }

    /** Header values, one a line; no line at all stands for an absent header. */
    private static List<String> lines(byte[] part) {
        String text = new String(part, StandardCharsets.ISO_8859_1);
        return text.isEmpty() ? List.of() : List.of(text.split("\n", -1));
    }
}
