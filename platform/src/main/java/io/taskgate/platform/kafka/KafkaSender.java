package io.taskgate.platform.kafka;

import io.taskgate.schemas.topics.TopicSpec;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Sends typed records to declared topics over one shared producer. The future completes when the
 * cluster acknowledged the record (acks=all), or fails; it never blocks the caller beyond the
 * producer's {@code max.block.ms}.
 */
public final class KafkaSender implements AutoCloseable {
    private final Producer<byte[], byte[]> producer;

    public KafkaSender(Producer<byte[], byte[]> producer) {
        this.producer = producer;
    }

    public <K, V> CompletableFuture<RecordMetadata> send(TopicSpec<K, V> topic, K key, V value) {
        return send(topic, key, value, new RecordHeaders());
    }

    public <K, V> CompletableFuture<RecordMetadata> send(TopicSpec<K, V> topic, K key, V value, Headers headers) {
        return sendRecord(topic, key, value, headers, null);
    }

    /** As {@link #send(TopicSpec, Object, Object, Headers)}, with the record's timestamp set by the caller. */
    public <K, V> CompletableFuture<RecordMetadata> send(TopicSpec<K, V> topic, K key, V value, Headers headers,
                                                         long timestampMillis) {
        return sendRecord(topic, key, value, headers, timestampMillis);
    }

    private <K, V> CompletableFuture<RecordMetadata> sendRecord(TopicSpec<K, V> topic, K key, V value, Headers headers,
                                                                Long timestampMillis) {
        CompletableFuture<RecordMetadata> acked = new CompletableFuture<>();
        try {
            byte[] keyBytes = topic.keySerde().serializer().serialize(topic.name(), key);
            byte[] valueBytes = topic.valueSerde().serializer().serialize(topic.name(), value);
            ProducerRecord<byte[], byte[]> record =
                    new ProducerRecord<>(topic.name(), null, timestampMillis, keyBytes, valueBytes, headers);
            producer.send(record, (metadata, error) -> {
                if (error == null) {
                    acked.complete(metadata);
                } else {
                    acked.completeExceptionally(error);
                }
            });
        } catch (KafkaException | IllegalStateException e) {
            acked.completeExceptionally(e);
        }
        return acked;
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
