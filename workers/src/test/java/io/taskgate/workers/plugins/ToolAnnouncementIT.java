package io.taskgate.workers.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.kafka.CompactedTopicView;
import io.taskgate.platform.ops.Metrics;
import io.taskgate.schemas.tools.ToolAnnouncement;
import io.taskgate.schemas.tools.ToolCatalog;
import io.taskgate.testing.Await;
import io.taskgate.testing.TestKafka;
import io.taskgate.testing.WithKafka;
import io.taskgate.workers.WorkerConfig;
import io.taskgate.workers.WorkerService;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each worker announces what it runs under its own key, and withdraws only its own when it stops. */
@WithKafka
class ToolAnnouncementIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Test
    void shouldAnnounceEachWorkerUnderItsOwnKeyAndWithdrawOnlyThatOneOnStop(TestKafka kafka) {
        WorkerConfig config = WorkerConfig.from(ConfigSource.of(Map.of(
                Setting.KAFKA_BOOTSTRAP, kafka.bootstrapServers(),
                Setting.TOPIC_PREFIX, kafka.topics().prefix(),
                Setting.WORKER_POOL, "default")));
        try (CompactedTopicView<ToolAnnouncement> tools = new CompactedTopicView<>(kafka.topics().tools(),
                kafka.clients().newConsumer("announcement-it", null))) {
            tools.start();
            WorkerService first = WorkerService.start(config, kafka.clients(), Metrics.newRegistry("test"), Clock.systemUTC());
            WorkerService second = WorkerService.start(config, kafka.clients(), Metrics.newRegistry("test"), Clock.systemUTC());
            try {
                Await.until(() -> "two announcements, got " + tools.snapshot().keySet(), () -> tools.snapshot().size() == 2, DEADLINE);
                for (Map.Entry<String, ToolAnnouncement> entry : tools.snapshot().entrySet()) {
                    ToolAnnouncement announcement = entry.getValue();
                    assertEquals("default/" + announcement.instance(), entry.getKey());
                    assertTrue(announcement.instance().startsWith("taskgate-worker-default-"), announcement::toString);
                    assertEquals(ToolCatalog.builtIn().taskNames(), new HashSet<>(announcement.taskNames()));
                }

                first.close();
                Await.until(() -> "one announcement left, got " + tools.snapshot().keySet(), () -> tools.snapshot().size() == 1, DEADLINE);
            } finally {
                first.close();
                second.close();
            }
            Await.until(() -> "no announcement left, got " + tools.snapshot().keySet(), () -> tools.snapshot().isEmpty(), DEADLINE);
        }
    }
}
