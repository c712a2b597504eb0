package io.taskgate.platform.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderedCloserTest {
    private final List<String> closed = new ArrayList<>();

    @Test
    void shouldCloseInReverseOrderOfRegistration() {
        OrderedCloser closer = new OrderedCloser();
        closer.add("first", () -> closed.add("first"));
        closer.add("second", () -> closed.add("second"));
        closer.add("third", () -> closed.add("third"));
        closer.close();
        assertEquals(List.of("third", "second", "first"), closed);
    }

    @Test
    void shouldCloseEveryPartEvenWhenSomeFail() {
        OrderedCloser closer = new OrderedCloser();
        closer.add("first", () -> closed.add("first"));
        closer.add("failing", () -> {
            closed.add("failing");
            throw new IOException("disk gone");
        });
        closer.add("third", () -> {
            closed.add("third");
            throw new IllegalStateException("already closed");
        });
        closer.close();
        assertEquals(List.of("third", "failing", "first"), closed);
    }

    @Test
    void shouldCloseEachPartOnlyOnce() {
        OrderedCloser closer = new OrderedCloser();
        closer.add("only", () -> closed.add("only"));
        closer.close();
        closer.close();
        assertEquals(List.of("only"), closed);
    }

    @Test
    void shouldHandBackWhatItRegisters() {
        OrderedCloser closer = new OrderedCloser();
        AutoCloseable part = () -> closed.add("part");
        assertSame(part, closer.add(part));
    }
}
