package io.taskgate.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

    @Test
    void shouldParseTheDefaultScheduleAsSvixDoes() {
        RetrySchedule schedule = RetrySchedule.parse(RetrySchedule.DEFAULT);
        assertEquals(List.of(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2),
                Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10)), schedule.delays());
    }

    @Test
    void shouldGiveTheDelayAfterEachFailedAttemptUntilItRunsOut() {
        RetrySchedule schedule = RetrySchedule.parse("250ms, 2s,1m");
        assertEquals(Optional.of(Duration.ofMillis(250)), schedule.delayAfter(1));
        assertEquals(Optional.of(Duration.ofMinutes(1)), schedule.delayAfter(3));
        assertTrue(schedule.delayAfter(4).isEmpty(), "three retries, then no more");
        assertTrue(RetrySchedule.parse("").delayAfter(1).isEmpty(), "an empty schedule never retries");
    }

    @Test
    void shouldRejectADelayItCannotReadNamingIt() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> RetrySchedule.parse("5s,5 minutes"));
        assertTrue(error.getMessage().contains("5 minutes"), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RetrySchedule.parse("0s"));
    }
}
