package io.taskgate.ingress.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.URI;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class TaskStatusStreamsConfigTest {

    private static Properties config(String advertised, int port) {
        return TaskStatusStreamsConfig.of("localhost:9092", "taskgate", URI.create(advertised), Path.of("/var/taskgate/state"), port);
    }

    @Test
    void shouldShareOneApplicationIdPerInstallation() {
        assertEquals("taskgate-ingress-status", config("http://10.0.0.5:8080", 8080).get(StreamsConfig.APPLICATION_ID_CONFIG));
    }

    @Test
    void shouldAdvertiseWhereOtherInstancesReachThisOne() {
        assertEquals("10.0.0.5:8080", config("http://10.0.0.5:8080", 8080).get(StreamsConfig.APPLICATION_SERVER_CONFIG));
        assertEquals("ingress-1.internal:443",
                config("https://ingress-1.internal", 8080).get(StreamsConfig.APPLICATION_SERVER_CONFIG));
    }

    @Test
    void shouldKeepStateApartForInstancesOnOtherPorts() {
        Object first = config("http://127.0.0.1:8080", 8080).get(StreamsConfig.STATE_DIR_CONFIG);
        Object second = config("http://127.0.0.1:8081", 8081).get(StreamsConfig.STATE_DIR_CONFIG);

        assertEquals(Path.of("/var/taskgate/state/ingress-status-8080").toString(), first);
        assertNotEquals(first, second);
    }

    @Test
    void shouldMakeEveryUpdateVisibleAtOnce() {
        assertEquals(0, config("http://127.0.0.1:8080", 8080).get(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG));
    }

    @Test
    void shouldNeverShowAnAbortedDecision() {
        assertEquals("read_committed", config("http://127.0.0.1:8080", 8080).get("consumer.isolation.level"));
    }

    @Test
    void shouldKeepAWarmCopyOfEachPartitionOnAnotherInstance() {
        assertEquals(1, config("http://127.0.0.1:8080", 8080).get(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG));
    }
}
