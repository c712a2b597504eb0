package io.taskgate.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TaskgateKafkaHelpTest {

    @Test
    void shouldExplainKafkaClientPropertiesAndThatSecretsAreNeverPrinted() {
        StringWriter out = new StringWriter();
        Taskgate.commandLine().usage(new PrintWriter(out));
        String help = out.toString();
        assertTrue(help.contains("TASKGATE_KAFKA_<PROPERTY>"), help);
        assertTrue(help.contains("TASKGATE_KAFKA_SASL_JAAS_CONFIG (secret)"), help);
        assertTrue(help.contains("'kafka:' map"), help);
    }
}
