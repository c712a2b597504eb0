package io.taskgate.workers;

import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.platform.kafka.TopicPartitions;
import io.taskgate.schemas.tasks.TaskEvent;
import io.taskgate.schemas.topics.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Everything workers said on {@code task-events}, per task in the order it was written (one task's
 * events share a key, so a partition): what a test counts runs with.
 */
final class TaskEventLog implements AutoCloseable {
    private final TopicSpec<String, TaskEvent> topic;
    private final Consumer<byte[], byte[]> consumer;
    private final Map<String, List<TaskEvent.Kind>> byTask = new LinkedHashMap<>();

    TaskEventLog(KafkaClients clients, TopicSpec<String, TaskEvent> topic) {
        this.topic = topic;
        this.consumer = clients.newConsumer("task-event-log-" + System.nanoTime(), null);
        TopicPartitions.assignFromStart(consumer, topic.name(), Duration.ofSeconds(30));
    }

    /** Reads what arrived since the last call. */
    TaskEventLog poll() {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
            TaskEvent event = topic.valueSerde().deserializer().deserialize(topic.name(), record.value());
            if (event != null) {
                byTask.computeIfAbsent(event.taskId(), id -> new ArrayList<>()).add(event.event());
            }
        }
        return this;
    }

    List<TaskEvent.Kind> events(String taskId) {
        return byTask.getOrDefault(taskId, List.of());
    }

    long count(String taskId, TaskEvent.Kind kind) {
        return events(taskId).stream().filter(kind::equals).count();
    }

    boolean allSucceeded(Collection<String> taskIds) {
        return taskIds.stream().allMatch(id -> count(id, TaskEvent.Kind.SUCCEEDED) > 0);
    }

    /** Tasks that started again after one of their runs had succeeded: each a finished task run twice. */
    List<String> startedAfterSucceeding() {
        List<String> rerun = new ArrayList<>();
        byTask.forEach((taskId, kinds) -> {
            int succeeded = kinds.indexOf(TaskEvent.Kind.SUCCEEDED);
            if (succeeded >= 0 && kinds.subList(succeeded, kinds.size()).contains(TaskEvent.Kind.STARTED)) {
                rerun.add(taskId + " " + kinds);
            }
        });
        return rerun;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
