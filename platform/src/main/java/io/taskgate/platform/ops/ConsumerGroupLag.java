package io.taskgate.platform.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskgate.platform.concurrent.BoundedExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far behind its consumer groups are, as the cluster sees it: for each group, the committed
 * offsets against the partitions' ends (read-committed, so open transactions do not count),
 * summed, in {@code taskgate_kafka_consumer_group_lag{group}}. Measured in the background every
 * few seconds, so a scrape never waits on the network; the last measurement stays when the
 * cluster does not answer.
 */
public final class ConsumerGroupLag implements AutoCloseable {
    public static final String METER = "taskgate_kafka_consumer_group_lag";
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerGroupLag.class);
    private static final long TIMEOUT_S = 5;

    private final Admin admin;
    private final MeterRegistry metrics;
    private final Map<String, AtomicLong> lags;
    private final List<Gauge> gauges = new ArrayList<>();
    private final ScheduledExecutorService scheduler;

    public ConsumerGroupLag(Admin admin, Collection<String> groups, Duration interval, MeterRegistry metrics) {
        this.admin = admin;
        this.metrics = metrics;
        this.lags = groups.stream().distinct().collect(Collectors.toUnmodifiableMap(group -> group, group -> new AtomicLong()));
        lags.forEach((group, lag) -> gauges.add(Gauge.builder(METER, lag, AtomicLong::get)
                .description("records a consumer group has yet to read, summed over its partitions")
                .tag("group", group)
                .register(metrics)));
        this.scheduler = BoundedExecutor.scheduled("kafka-lag", 1, metrics);
        // The first measurement waits one interval: a service's start is busy enough with its own clients.
        scheduler.scheduleWithFixedDelay(this::measureAll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void measureAll() {
        lags.forEach((group, lag) -> {
            try {
                lag.set(measure(group));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.debug("lag of group {} not measured: {}", group, e.toString());
            }
        });
    }

    private long measure(String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(TIMEOUT_S, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = committed.keySet().stream()
                .collect(Collectors.toMap(partition -> partition, partition -> OffsetSpec.latest()));
        if (latest.isEmpty()) {
            return 0;
        }
        Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all().get(TIMEOUT_S, TimeUnit.SECONDS);
        long total = 0;
        for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : committed.entrySet()) {
            ListOffsetsResultInfo end = ends.get(entry.getKey());
            if (end != null && entry.getValue() != null) {
                total += Math.max(0, end.offset() - entry.getValue().offset());
            }
        }
        return total;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        gauges.forEach(metrics::remove);
        admin.close(Duration.ofSeconds(2));
    }
}
