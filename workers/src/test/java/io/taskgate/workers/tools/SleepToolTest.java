package io.taskgate.workers.tools;

import static io.taskgate.workers.tools.Tasks.json;
import static io.taskgate.workers.tools.Tasks.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeout;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.tool.api.ToolException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SleepToolTest {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final SleepTool sleep = new SleepTool(scheduler);

    @AfterEach
    void shutdown() {
        scheduler.shutdownNow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "null", "[]", "{\"ms\": \"100\"}", "{\"ms\": 1.5}", "{\"ms\": -1}", "{\"ms\": 300001}",
            "{\"ms\": 99999999999999999999}", "{\"ms\": null}"})
    void shouldRejectInputThatIsNotAWholeNumberOfMillisecondsUpToFiveMinutes(String input) {
        ToolException failure = assertThrows(ToolException.class, () -> SleepTool.millis(json(input)));
        assertEquals(ErrorCode.BAD_REQUEST, failure.code());
        assertFalse(failure.retryable());
        assertTrue(failure.getMessage().contains("ms"), failure.getMessage());
    }

    @Test
    void shouldAcceptTheBounds() {
        assertEquals(0, SleepTool.millis(json("{\"ms\": 0}")));
        assertEquals(300_000, SleepTool.millis(json("{\"ms\": 300000}")));
    }

    @Test
    void shouldFailTheStageNotTheCallerOnBadInput() {
        CompletableFuture<JsonNode> result = sleep.run(task("tsk_1", "sleep.run", "{\"ms\": -5}")).toCompletableFuture();
        ExecutionException failure = assertThrows(ExecutionException.class, () -> result.get(1, TimeUnit.SECONDS));
        assertInstanceOf(ToolException.class, failure.getCause());
    }

    @Test
    void shouldNotHoldTheCallerWhileSleeping() {
        CompletableFuture<JsonNode> result = assertTimeout(Duration.ofSeconds(5),
                () -> sleep.run(task("tsk_1", "sleep.run", "{\"ms\": 60000}")).toCompletableFuture());
        assertFalse(result.isDone());
        result.cancel(false);
    }

    @Test
    void shouldSucceedWithTheSleptTimeWhenTheTimeIsUp() throws Exception {
        long before = System.nanoTime();
        CompletableFuture<JsonNode> result = sleep.run(task("tsk_1", "sleep.run", "{\"ms\": 50}")).toCompletableFuture();

        assertEquals(json("{\"slept_ms\": 50}"), result.get(5, TimeUnit.SECONDS));
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before) >= 50);
    }
}
