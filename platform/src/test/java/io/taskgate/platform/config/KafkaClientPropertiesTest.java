package io.taskgate.platform.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskgate.platform.kafka.KafkaClients;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientPropertiesTest {
    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"ingress\" password=\"hunter2-very-secret\";";
    private static final String TRUSTSTORE_PASSWORD = "truststore-pass-42";

    @TempDir
    Path dir;

    private static Map<String, String> securedEnv() {
        return Map.of(
                "TASKGATE_KAFKA_BOOTSTRAP", "kafka-1:9093",
                "TASKGATE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "TASKGATE_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "TASKGATE_KAFKA_SASL_JAAS_CONFIG", JAAS,
                "TASKGATE_KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/taskgate/ca.p12",
                "TASKGATE_KAFKA_SSL_TRUSTSTORE_PASSWORD", TRUSTSTORE_PASSWORD);
    }

    @Test
    void shouldMapEnvironmentVariablesToKafkaPropertiesAndKeepBootstrapASetting() {
        ConfigSource config = ConfigSource.load(securedEnv());
        Map<String, String> properties = config.kafkaProperties().asMap();
        assertEquals("SASL_SSL", properties.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", properties.get("sasl.mechanism"));
        assertEquals(JAAS, properties.get("sasl.jaas.config"));
        assertEquals("/etc/taskgate/ca.p12", properties.get("ssl.truststore.location"));
        assertFalse(properties.containsKey("bootstrap"), "TASKGATE_KAFKA_BOOTSTRAP is a setting, not a property");
        assertEquals("kafka-1:9093", KafkaSettings.from(config).bootstrapServers());
    }

    @Test
    void shouldGiveEveryKindOfClientTheOperatorsProperties() {
        KafkaClients clients = new KafkaClients(KafkaSettings.from(ConfigSource.load(securedEnv())));
        for (Map<String, Object> client : new Map[] {clients.producerConfig("p"), clients.consumerConfig("c", "g"),
                clients.adminConfig("a"), clients.streamsConnection("taskgate-policy")}) {
            assertEquals("SASL_SSL", client.get("security.protocol"));
            assertEquals(JAAS, client.get("sasl.jaas.config"));
            assertEquals("kafka-1:9093", client.get("bootstrap.servers"));
        }
    }

    @Test
    void shouldReadTheKafkaMapOfTheFileUnderTheEnvironment() throws IOException {
        Path file = dir.resolve("taskgate.yaml");
        Files.writeString(file, """
                kafka_bootstrap: kafka-1:9093
                kafka:
                  security.protocol: SSL
                  ssl.truststore.type: PKCS12
                """);
        ConfigSource config = ConfigSource.load(Map.of("TASKGATE_CONFIG", file.toString(),
                "TASKGATE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL"));
        assertEquals(Map.of("security.protocol", "SASL_SSL", "ssl.truststore.type", "PKCS12"), config.kafkaProperties().asMap());
    }

    @Test
    void shouldMaskSecretValuesWhereverTheSettingsArePrinted() {
        ConfigSource config = ConfigSource.load(securedEnv());
        for (String printed : new String[] {config.toString(), config.kafkaProperties().toString(),
                KafkaSettings.from(config).toString()}) {
            assertFalse(printed.contains("hunter2"), printed);
            assertFalse(printed.contains(TRUSTSTORE_PASSWORD), printed);
            assertTrue(printed.contains("sasl.jaas.config=****"), printed);
            assertTrue(printed.contains("security.protocol=SASL_SSL"), printed);
        }
    }

    @Test
    void shouldTreatPasswordsJaasAndKeyMaterialAsSecret() {
        assertTrue(KafkaClientProperties.isSecret("sasl.jaas.config"));
        assertTrue(KafkaClientProperties.isSecret("ssl.keystore.password"));
        assertTrue(KafkaClientProperties.isSecret("ssl.key.password"));
        assertTrue(KafkaClientProperties.isSecret("ssl.keystore.key"));
        assertFalse(KafkaClientProperties.isSecret("security.protocol"));
        assertFalse(KafkaClientProperties.isSecret("ssl.truststore.location"));
    }

    @Test
    void shouldRefuseAMisspelledPropertyNamingTheVariable() {
        ConfigException error = assertThrows(ConfigException.class,
                () -> ConfigSource.load(Map.of("TASKGATE_KAFKA_SECURITY_PROTOCL", "SSL")));
        assertEquals("TASKGATE_KAFKA_SECURITY_PROTOCL: security.protocl is not a Kafka client property", error.getMessage());
    }

    @Test
    void shouldRefusePropertiesTaskgatesGuaranteesRestOn() {
        ConfigException error = assertThrows(ConfigException.class,
                () -> ConfigSource.load(Map.of("TASKGATE_KAFKA_ENABLE_AUTO_COMMIT", "true")));
        assertTrue(error.getMessage().startsWith("TASKGATE_KAFKA_ENABLE_AUTO_COMMIT: enable.auto.commit cannot be set"),
                error.getMessage());
    }

    @Test
    void shouldMapDoubleUnderscoresAndTriplesLikeTheKafkaImage() {
        assertEquals("sasl.login.callback.handler.class", KafkaClientProperties.propertyOf("TASKGATE_KAFKA_SASL_LOGIN_CALLBACK_HANDLER_CLASS"));
        assertEquals("a_b.c-d", KafkaClientProperties.propertyOf("TASKGATE_KAFKA_A__B_C___D"));
    }
}
