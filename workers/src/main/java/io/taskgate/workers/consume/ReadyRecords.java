package io.taskgate.workers.consume;

import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.schemas.topics.TopicSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reading the records of a ready topic: the partition of each, and its task if it holds a readable one. */
final class ReadyRecords {
    private static final Logger LOG = LoggerFactory.getLogger(ReadyRecords.class);

    private ReadyRecords() {
    }

    static TopicPartition partitionOf(ConsumerRecord<?, ?> record) {
        return new TopicPartition(record.topic(), record.partition());
    }

    /** The record's task, or null (logged) when it is unreadable or empty: such a record is skipped. */
    static TaskMessage decode(TopicSpec<String, TaskMessage> topic, ConsumerRecord<byte[], byte[]> record) {
        TaskMessage task;
        try {
            task = topic.valueSerde().deserializer().deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            // The exception text may quote the payload, so only its type is logged.
            LOG.warn("skipping unreadable task at {}-{}@{} ({})", record.topic(), record.partition(), record.offset(),
                    e.getClass().getSimpleName());
            return null;
        }
        if (task == null) {
            LOG.warn("skipping empty record at {}-{}@{}", record.topic(), record.partition(), record.offset());
        }
        return task;
    }
}
