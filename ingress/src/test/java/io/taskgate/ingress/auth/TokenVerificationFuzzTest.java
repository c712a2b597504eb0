package io.taskgate.ingress.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Coverage-guided fuzzing of {@link TokenService#verify}: whatever string arrives as a bearer
 * token, verification either returns a complete token or throws {@link InvalidTokenException};
 * any other exception is a finding.
 *
 * <p>A random string rarely gets past the signature check, so an input that starts with
 * {@code signed\n} is turned into a token the service's own key signs: the next line is the JOSE
 * header JSON, the rest the claims JSON. That lets the fuzzer reach the header checks and the
 * claim handling behind the signature. Any other input is verified as it is.
 */
class TokenVerificationFuzzTest {
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final TokenService TOKENS = new TokenService("taskgate", "k1", Map.of("k1", SECRET), CLOCK);
    private static final String SIGNED = "signed\n";

    @FuzzTest(maxDuration = "20s")
    @DictionaryEntries({"signed", "\"alg\":\"HS256\"", "\"kid\":\"k1\"", "\"typ\":\"JWT\"", "\"iss\":\"taskgate\"",
            "\"aud\":\"taskgate\"", "\"aud\":[\"taskgate\"]", "\"sub\":", "\"jti\":", "\"iat\":1893456000",
            "\"exp\":1893459600", "\"nbf\":", "\"tools\":[", "\"actions\":[", "\"zip\":\"DEF\"", "\"crit\":[", "eyJ", "."})
    void verifyAcceptsACompleteTokenOrThrowsInvalidToken(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        String compact = text.startsWith(SIGNED) ? signed(text.substring(SIGNED.length())) : text;
        try {
            AccessToken token = TOKENS.verify(compact);
            assertNotNull(token.agentId());
            assertNotNull(token.tokenId());
            assertNotNull(token.tools());
            assertNotNull(token.actions());
            assertFalse(token.expiresAt().isBefore(CLOCK.instant().minus(TokenService.CLOCK_SKEW)), "an accepted token is not expired");
        } catch (InvalidTokenException refused) {
            // The documented way to refuse a token.
        }
    }

    /** {@code header\nclaims}, signed HS256 with the service's key. */
    private static String signed(String headerAndClaims) {
        int newline = headerAndClaims.indexOf('\n');
        String header = newline < 0 ? headerAndClaims : headerAndClaims.substring(0, newline);
        String claims = newline < 0 ? "" : headerAndClaims.substring(newline + 1);
        String signingInput = base64Url(header.getBytes(StandardCharsets.UTF_8)) + "." + base64Url(claims.getBytes(StandardCharsets.UTF_8));
        return signingInput + "." + base64Url(hmac(signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    private static byte[] hmac(byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is in every JDK", e);
        }
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
