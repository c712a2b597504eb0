package io.taskgate.launcher.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.schemas.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The launcher's logback.xml, as {@code TASKGATE_LOG_FORMAT} selects it. */
class LogFormatTest {

    @Test
    void shouldWriteOneJsonObjectALineWithTheIdsOfTheWork() throws Exception {
        LoggerContext context = configured("json", "worker");
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertNull(root.getAppender("text"), "only the chosen format writes");
        LoggingEvent event = event(context, Map.of("service", "ingress", "request_id", "req_1", "trace_id", "4bf92f3577b34da6a3ce929d0e0e4736",
                "agent_id", "agt_1", "task_id", "tsk_1"));

        String line = encode(root, "json", event);

        assertTrue(line.endsWith("\n") && line.indexOf('\n') == line.length() - 1, line);
        JsonNode json = Json.mapper().readTree(line);
        assertEquals("2026-12-01T10:00:00Z", Instant.parse(json.get("time").asText()).toString());
        assertEquals("WARN", json.get("level").asText());
        assertEquals("ingress", json.get("service").asText(), "the service of the work wins over the process's");
        assertEquals("req_1", json.get("request_id").asText());
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", json.get("trace_id").asText());
        assertEquals("agt_1", json.get("agent_id").asText());
        assertEquals("tsk_1", json.get("task_id").asText());
        assertEquals("task tsk_1 failed", json.get("message").asText());
    }

    @Test
    void shouldNameTheProcessServiceWhenTheWorkDoesNot() throws Exception {
        LoggerContext context = configured("json", "policy-stream");
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);

        JsonNode json = Json.mapper().readTree(encode(root, "json", event(context, Map.of())));

        assertEquals("policy-stream", json.get("service").asText());
        assertFalse(json.has("request_id"), json.toString());
    }

    @Test
    void shouldWriteTextForPeopleByDefault() throws Exception {
        LoggerContext context = configured(null, "dev");
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertNull(root.getAppender("json"));

        String line = encode(root, "text", event(context, Map.of("request_id", "req_9")));

        assertTrue(line.contains("WARN") && line.contains(" dev ") && line.contains("request_id=req_9")
                && line.contains("task tsk_1 failed"), line);
    }

    @Test
    void shouldRefuseAFormatItDoesNotKnow() {
        Optional<String> error = LogSetup.configure(new String[] {"ingress"}, Map.of("TASKGATE_LOG_FORMAT", "xml"));

        assertEquals(Optional.of("TASKGATE_LOG_FORMAT must be text or json, not 'xml'"), error);
    }

    @Test
    void shouldTellLogbackTheFormatAndTheService() {
        Optional<String> error = LogSetup.configure(new String[] {"policy"}, Map.of("TASKGATE_LOG_FORMAT", "JSON"));

        assertTrue(error.isEmpty());
        assertEquals("json", System.getProperty(LogSetup.FORMAT_PROPERTY));
        assertEquals("policy-stream", System.getProperty(LogSetup.SERVICE_PROPERTY));
        System.clearProperty(LogSetup.FORMAT_PROPERTY);
        System.clearProperty(LogSetup.SERVICE_PROPERTY);
    }

    @Test
    void shouldNameTheServiceOnlyWhenTheCommandRunsOne() {
        assertEquals("policy-stream", LogSetup.serviceOf(new String[] {"policy"}));
        assertEquals("worker", LogSetup.serviceOf(new String[] {"worker", "--pool", "gpu"}));
        assertEquals("taskgate-cli", LogSetup.serviceOf(new String[] {"policy", "apply", "policy.yaml"}));
        assertEquals("taskgate-cli", LogSetup.serviceOf(new String[] {"agents", "list"}));
    }

    private static LoggerContext configured(String format, String service) throws Exception {
        LoggerContext context = new LoggerContext();
        if (format != null) {
            context.putProperty(LogSetup.FORMAT_PROPERTY, format);
        }
        context.putProperty(LogSetup.SERVICE_PROPERTY, service);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(LogFormatTest.class.getResource("/logback.xml"));
        return context;
    }

    private static LoggingEvent event(LoggerContext context, Map<String, String> mdc) {
        LoggingEvent event = new LoggingEvent(LogFormatTest.class.getName(), context.getLogger("io.taskgate.workers.Example"),
                Level.WARN, "task {} failed", null, new Object[] {"tsk_1"});
        event.setInstant(Instant.parse("2026-12-01T10:00:00Z"));
        event.setMDCPropertyMap(mdc);
        return event;
    }

    @SuppressWarnings("unchecked")
    private static String encode(Logger root, String appender, ILoggingEvent event) {
        OutputStreamAppender<ILoggingEvent> found = (OutputStreamAppender<ILoggingEvent>) root.getAppender(appender);
        assertNotNull(found, appender + " appender");
        return new String(found.getEncoder().encode(event), StandardCharsets.UTF_8);
    }
}
