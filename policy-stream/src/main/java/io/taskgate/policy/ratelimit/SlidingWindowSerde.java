package io.taskgate.policy.ratelimit;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A compact binary form of a {@link SlidingWindow} for its store and changelog: a format byte,
 * then the slots as (latest event millis, count) pairs.
 */
public final class SlidingWindowSerde implements Serde<SlidingWindow> {
    private static final byte FORMAT = 1;
    private static final int SLOT_BYTES = 2 * Long.BYTES;

    @Override
    public Serializer<SlidingWindow> serializer() {
        return (topic, window) -> window == null ? null : write(window);
    }

    @Override
    public Deserializer<SlidingWindow> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    static byte[] write(SlidingWindow window) {
        List<SlidingWindow.Slot> slots = window.slots();
        ByteBuffer buffer = ByteBuffer.allocate(1 + slots.size() * SLOT_BYTES).put(FORMAT);
        slots.forEach(slot -> buffer.putLong(slot.latestMillis()).putLong(slot.count()));
        return buffer.array();
    }

    static SlidingWindow read(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        try {
            byte format = buffer.get();
            if (format != FORMAT || buffer.remaining() % SLOT_BYTES != 0) {
                throw new SerializationException("not a sliding window of format " + FORMAT);
            }
            List<SlidingWindow.Slot> slots = new ArrayList<>();
            while (buffer.hasRemaining()) {
                slots.add(new SlidingWindow.Slot(buffer.getLong(), buffer.getLong()));
            }
            return new SlidingWindow(slots);
        } catch (BufferUnderflowException e) {
            throw new SerializationException("truncated sliding window", e);
        }
    }
}
