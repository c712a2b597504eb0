package io.taskgate.policy.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import io.taskgate.schemas.audit.AuditAction;
import io.taskgate.schemas.audit.AuditEvent;
import io.taskgate.schemas.state.StateCommand;
import io.taskgate.schemas.state.StateEntry;
import io.taskgate.schemas.state.StateOutcome;
import io.taskgate.schemas.topics.TopicSpec;
import io.taskgate.schemas.topics.Topics;
import io.taskgate.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateTopologyTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private final Topics topics = new Topics("test");
    private final MutableClock clock = new MutableClock(T0);
    @TempDir
    Path stateDir;
    private TopologyTestDriver driver;
    private TestInputTopic<String, StateCommand> commands;
    private TestOutputTopic<String, StateEntry> entries;
    private TestOutputTopic<String, StateOutcome> outcomes;
    private TestOutputTopic<String, AuditEvent> audit;
    private int ids;

    @BeforeEach
    void startDriver() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test-state");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        StreamsBuilder builder = new StreamsBuilder();
        StateTopology.addTo(builder, topics, clock);
        driver = new TopologyTestDriver(builder.build(), props, T0);
        commands = driver.createInputTopic(topics.stateCommands().name(), topics.stateCommands().keySerde().serializer(),
                topics.stateCommands().valueSerde().serializer());
        entries = output(topics.state());
        outcomes = output(topics.stateOutcomes());
        audit = output(topics.audit());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void shouldLetOnlyOneOfTwoWritersOnTheSameVersionWin() {
        StateOutcome first = put("v1", null, null);
        assertEquals(StateOutcome.Result.APPLIED, first.result());
        StateOutcome winner = put("v2", first.version(), null);
        StateOutcome loser = put("v3", first.version(), null);
        assertEquals(StateOutcome.Result.APPLIED, winner.result());
        assertEquals(StateOutcome.Result.PRECONDITION_FAILED, loser.result());
        assertEquals(winner.version(), loser.version(), "the loser learns the version that won");
        List<StateEntry> written = entries.readValuesToList();
        assertEquals("v2", written.get(written.size() - 1).value().asText());
    }

    @Test
    void shouldKeepEarlierVersionsNewestFirstAndBounded() {
        for (int i = 0; i < StateEntry.MAX_HISTORY + 3; i++) {
            put("v" + i, null, null);
            clock.advance(Duration.ofMillis(1));
        }
        List<StateEntry> written = entries.readValuesToList();
        StateEntry last = written.get(written.size() - 1);
        assertEquals(StateEntry.MAX_HISTORY, last.history().size());
        assertEquals("v" + (StateEntry.MAX_HISTORY + 1), last.history().get(0).value().asText());
        assertTrue(last.history().get(0).version() > last.history().get(1).version());
    }

    @Test
    void shouldRemoveAnExpiredKeyWithATombstoneAndAnswerNotFoundAfter() {
        put("brief", null, 5L);
        entries.readValuesToList();
        clock.advance(Duration.ofSeconds(6));
        driver.advanceWallClockTime(Duration.ofSeconds(6));
        List<TestRecord<String, StateEntry>> removed = entries.readRecordsToList();
        assertEquals(1, removed.size());
        assertNull(removed.get(0).value());
        assertEquals(StateOutcome.Result.NOT_FOUND, delete(null).result());
        assertTrue(audit.readValuesToList().stream().anyMatch(event -> event.action() == AuditAction.STATE_EXPIRED));
    }

    @Test
    void shouldAuditWritesWithTheValueAsAHash() {
        put("secret value", null, null);
        AuditEvent written = audit.readValuesToList().get(0);
        assertEquals(AuditAction.STATE_WRITTEN, written.action());
        assertTrue(written.details().get("value_hash").toString().startsWith("sha256:"));
        assertTrue(!written.details().toString().contains("secret value"));
    }

    private StateOutcome put(String value, Long ifMatch, Long ttl) {
        return send(new StateCommand("cmd_" + ids++, StateCommand.Op.PUT, "ns", "k", TextNode.valueOf(value), ttl, ifMatch, "agt_1",
                "req", clock.instant()));
    }

    private StateOutcome delete(Long ifMatch) {
        return send(new StateCommand("cmd_" + ids++, StateCommand.Op.DELETE, "ns", "k", null, null, ifMatch, "agt_1", "req",
                clock.instant()));
    }

    private StateOutcome send(StateCommand command) {
        commands.pipeInput(command.topicKey(), command, clock.instant());
        List<StateOutcome> decided = outcomes.readValuesToList();
        assertEquals(1, decided.size());
        return decided.get(0);
    }

    private <V> TestOutputTopic<String, V> output(TopicSpec<String, V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }
}
