package io.taskgate.ingress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskgate.platform.config.ConfigException;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.schemas.topics.MessageLimits;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngressConfigTest {
    private static final String ADMIN = "admin-token-0123456789";
    private static final String HMAC = "hmac-secret-0123456789-0123456789-abcdef";

    @Test
    void shouldMaskBothSecretsInToString() {
        IngressConfig config = IngressConfig.from(ConfigSource.of(Map.of(Setting.ADMIN_TOKEN, ADMIN, Setting.TOKEN_HMAC_SECRET, HMAC)));

        String text = config.toString();

        assertFalse(text.contains(ADMIN), text);
        assertFalse(text.contains(HMAC), text);
        assertFalse(text.contains("0123456789"), text);
        assertTrue(text.contains("adminToken=****"), text);
        assertTrue(text.contains("tokenHmacSecret=****"), text);
    }

    @Test
    void shouldStopOnAShortHmacSecretNamingTheSetting() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> IngressConfig.from(ConfigSource.of(Map.of(Setting.ADMIN_TOKEN, ADMIN, Setting.TOKEN_HMAC_SECRET, "short"))));

        assertTrue(e.getMessage().startsWith("TASKGATE_TOKEN_HMAC_SECRET"), e.getMessage());
    }

    @Test
    void shouldRefuseABodyLimitThatWouldNotFitAKafkaRecord() {
        ConfigException e = assertThrows(ConfigException.class, () -> IngressConfig.from(ConfigSource.of(Map.of(
                Setting.ADMIN_TOKEN, ADMIN, Setting.TOKEN_HMAC_SECRET, HMAC,
                Setting.MAX_BODY_BYTES, Integer.toString(MessageLimits.MAX_INPUT_BYTES + 1)))));

        assertTrue(e.getMessage().startsWith("TASKGATE_MAX_BODY_BYTES"), e.getMessage());
        assertTrue(MessageLimits.MAX_INPUT_BYTES < MessageLimits.MAX_RECORD_BYTES, "room for the envelope");
    }

    @Test
    void shouldReadTheDefaults() {
        IngressConfig config = IngressConfig.from(ConfigSource.of(Map.of(Setting.ADMIN_TOKEN, ADMIN, Setting.TOKEN_HMAC_SECRET, HMAC)));

        assertEquals(8080, config.port());
        assertEquals("taskgate", config.issuer());
        assertEquals("k1", config.tokenKid());
        assertEquals(1_048_576, config.maxBodyBytes());
        assertEquals(Duration.ofDays(7), config.taskRetention());
    }

    @Test
    void shouldTakeTheTaskRetentionInHours() {
        IngressConfig config = IngressConfig.from(ConfigSource.of(Map.of(Setting.ADMIN_TOKEN, ADMIN, Setting.TOKEN_HMAC_SECRET, HMAC,
                Setting.TASK_RETENTION_HOURS, "24")));

        assertEquals(Duration.ofHours(24), config.taskRetention());
    }

    @Test
    void shouldAcceptThePreviousKeyUnderItsKidBesideTheCurrentOne() {
        String previous = "the-previous-hmac-secret-0123456789-abcdef";
        IngressConfig config = IngressConfig.from(ConfigSource.of(Map.of(Setting.ADMIN_TOKEN, ADMIN, Setting.TOKEN_HMAC_SECRET, HMAC,
                Setting.TOKEN_KID, "k2", Setting.TOKEN_HMAC_PREVIOUS, previous, Setting.TOKEN_PREVIOUS_KID, "k1")));

        assertEquals(java.util.Set.of("k1", "k2"), config.tokenVerificationKeys().keySet());
        assertEquals(previous, new String(config.tokenVerificationKeys().get("k1"), java.nio.charset.StandardCharsets.UTF_8));
        assertFalse(config.toString().contains(previous), config.toString());
    }

    @Test
    void shouldStopOnAPreviousKeyWithoutItsKid() {
        ConfigException e = assertThrows(ConfigException.class, () -> IngressConfig.from(ConfigSource.of(Map.of(
                Setting.ADMIN_TOKEN, ADMIN, Setting.TOKEN_HMAC_SECRET, HMAC,
                Setting.TOKEN_HMAC_PREVIOUS, "the-previous-hmac-secret-0123456789-abcdef"))));

        assertTrue(e.getMessage().startsWith("TASKGATE_TOKEN_PREVIOUS_KID"), e.getMessage());
    }

    @Test
    void shouldStopOnAPreviousKidEqualToTheCurrentOne() {
        ConfigException e = assertThrows(ConfigException.class, () -> IngressConfig.from(ConfigSource.of(Map.of(
                Setting.ADMIN_TOKEN, ADMIN, Setting.TOKEN_HMAC_SECRET, HMAC, Setting.TOKEN_KID, "k1",
                Setting.TOKEN_HMAC_PREVIOUS, "the-previous-hmac-secret-0123456789-abcdef", Setting.TOKEN_PREVIOUS_KID, "k1"))));

        assertTrue(e.getMessage().startsWith("TASKGATE_TOKEN_PREVIOUS_KID"), e.getMessage());
    }

    @Test
    void shouldAcceptOnlyTheCurrentKeyWhenNoRotationIsUnderWay() {
        IngressConfig config = IngressConfig.from(ConfigSource.of(Map.of(Setting.ADMIN_TOKEN, ADMIN, Setting.TOKEN_HMAC_SECRET, HMAC)));

        assertEquals(java.util.Set.of("k1"), config.tokenVerificationKeys().keySet());
    }
}
