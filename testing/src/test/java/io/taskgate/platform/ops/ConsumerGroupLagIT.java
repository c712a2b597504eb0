package io.taskgate.platform.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.testing.Await;
import io.taskgate.testing.TestKafka;
import io.taskgate.testing.WithKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The lag gauge against a real broker: what a group has committed against what the partitions hold. */
@WithKafka
class ConsumerGroupLagIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Test
    void shouldReportWhatTheGroupHasYetToRead(TestKafka kafka) throws Exception {
        KafkaClients clients = kafka.clients();
        String topic = kafka.topics().taskEvents().name();
        String group = kafka.topics().prefix() + "-lag-it";
        try (Producer<byte[], byte[]> producer = clients.newProducer("lag-it-producer")) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, ("record " + i).getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
            }
        }
        try (Admin admin = clients.newAdmin("lag-it-committer")) {
            admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(2)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();

        try (ConsumerGroupLag lag = new ConsumerGroupLag(clients.newAdmin("lag-it"), List.of(group), Duration.ofMillis(200), metrics)) {
            Await.until("a lag of 3 records", () -> metrics.get(ConsumerGroupLag.METER).tag("group", group).gauge().value() == 3.0,
                    DEADLINE);
        }
        assertTrue(metrics.find(ConsumerGroupLag.METER).gauges().isEmpty(), "the gauge goes with the service");
    }
}
