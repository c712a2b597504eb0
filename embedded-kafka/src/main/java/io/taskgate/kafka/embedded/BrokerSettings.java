package io.taskgate.kafka.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Server properties for a single combined broker+controller node. Everything that defaults to a
 * replication factor or ISR of 3 is pulled down to 1, otherwise the internal topics that consumer
 * groups and transactions need could never be created on one node. Values are strings because
 * KafkaConfig only parses strings; an Integer where it expects a short is rejected.
 */
final class BrokerSettings {

    static final int NODE_ID = 1;
    static final String HOST = "127.0.0.1";
    static final String CONTROLLER_LISTENER = "CONTROLLER";

    private static final int MIB = 1024 * 1024;
    private static final int INTERNAL_TOPIC_PARTITIONS = 6;

    private BrokerSettings() {
    }

    static Map<String, String> of(Path dataDir, int brokerPort, int controllerPort, Duration startupTimeout) {
        Map<String, String> settings = new LinkedHashMap<>();

        settings.put("process.roles", "broker,controller");
        settings.put("node.id", String.valueOf(NODE_ID));
        // A static voter set (kraft.version 0) keeps the controller endpoint out of the formatted
        // storage, so a restart may pick a different controller port on the same data dir.
        settings.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        settings.put("controller.listener.names", CONTROLLER_LISTENER);
        settings.put("listeners", "PLAINTEXT://" + HOST + ":" + brokerPort + "," + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        settings.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
        settings.put("inter.broker.listener.name", "PLAINTEXT");
        settings.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        settings.put("log.dirs", dataDir.toAbsolutePath().toString());
        // Bounds BrokerServer.startup(), which otherwise waits forever for registration and unfencing.
        settings.put("server.max.startup.time.ms", String.valueOf(startupTimeout.toMillis()));
        // After a SIGKILL the restarted controller still holds the dead broker's registration, and
        // refuses the new incarnation until that registration's session expires (9 s by default):
        // most of the time back after a crash. Broker and controller share this process, so their
        // heartbeats never cross a network; a short session costs nothing here.
        settings.put("broker.heartbeat.interval.ms", "500");
        settings.put("broker.session.timeout.ms", "3000");

        settings.put("num.partitions", "6");
        settings.put("default.replication.factor", "1");
        settings.put("min.insync.replicas", "1");
        settings.put("auto.create.topics.enable", "false");
        settings.put("offsets.topic.replication.factor", "1");
        settings.put("offsets.topic.num.partitions", String.valueOf(INTERNAL_TOPIC_PARTITIONS));
        settings.put("transaction.state.log.replication.factor", "1");
        settings.put("transaction.state.log.min.isr", "1");
        settings.put("transaction.state.log.num.partitions", String.valueOf(INTERNAL_TOPIC_PARTITIONS));
        settings.put("group.initial.rebalance.delay.ms", "0");
        settings.put("group.share.enable", "false");

        settings.put("num.network.threads", "2");
        settings.put("num.io.threads", "4");
        settings.put("background.threads", "2");
        settings.put("num.recovery.threads.per.data.dir", "1");
        settings.put("group.coordinator.threads", "1");
        settings.put("share.coordinator.threads", "1");
        settings.put("log.cleaner.threads", "1");
        // The cleaner allocates this on the heap up front; the 128 MiB default is for production.
        settings.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * MIB));
        settings.put("log.segment.bytes", String.valueOf(16 * MIB));
        settings.put("offsets.topic.segment.bytes", String.valueOf(16 * MIB));
        settings.put("transaction.state.log.segment.bytes", String.valueOf(16 * MIB));
        settings.put("log.index.size.max.bytes", String.valueOf(MIB));
        return settings;
    }

    /** The settings with more client listeners (name to port) and server properties added. */
    static Map<String, String> withExtras(Map<String, String> settings, Map<String, Integer> ports, ExtraListeners extras) {
        Map<String, String> result = new LinkedHashMap<>(settings);
        extras.protocols().forEach((name, protocol) -> {
            String endpoint = name + "://" + HOST + ":" + ports.get(name);
            result.merge("listeners", endpoint, (a, b) -> a + "," + b);
            result.merge("advertised.listeners", endpoint, (a, b) -> a + "," + b);
            result.merge("listener.security.protocol.map", name + ":" + protocol, (a, b) -> a + "," + b);
        });
        result.putAll(extras.settings());
        return result;
    }
}
