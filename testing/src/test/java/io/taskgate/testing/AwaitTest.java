package io.taskgate.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {
    @Test
    void shouldReturnOnceTheConditionHolds() {
        AtomicInteger probes = new AtomicInteger();
        Await.until("the third probe", () -> probes.incrementAndGet() >= 3, Duration.ofSeconds(5));
        assertEquals(3, probes.get());
    }

    @Test
    void shouldFailWithTheDescriptionWhenTheDeadlinePasses() {
        AssertionError failure = assertThrows(AssertionError.class,
                () -> Await.until("a condition that never holds", () -> false, Duration.ofMillis(50)));
        assertTrue(failure.getMessage().contains("a condition that never holds"), failure.getMessage());
    }

    @Test
    void shouldReturnTheFirstAcceptedValueAndNameTheLastSeenOnFailure() {
        AtomicInteger counter = new AtomicInteger();
        assertEquals(4, Await.value("four", counter::incrementAndGet, value -> value == 4, Duration.ofSeconds(5)));
        AssertionError failure = assertThrows(AssertionError.class,
                () -> Await.value("a negative count", counter::incrementAndGet, value -> value < 0, Duration.ofMillis(50)));
        assertTrue(failure.getMessage().contains("last: "), failure.getMessage());
    }
}
