package io.taskgate.policy.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.schemas.audit.AuditAction;
import io.taskgate.schemas.audit.AuditEvent;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.errors.ErrorDetail;
import io.taskgate.schemas.json.Json;
import io.taskgate.schemas.tasks.TaskEvent;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.schemas.tools.ToolCatalog;
import io.taskgate.schemas.topics.TopicSpec;
import io.taskgate.schemas.topics.Topics;
import io.taskgate.schemas.workflows.RunCommand;
import io.taskgate.schemas.workflows.StepRun;
import io.taskgate.schemas.workflows.WorkflowDefinition;
import io.taskgate.schemas.workflows.WorkflowParser;
import io.taskgate.schemas.workflows.WorkflowRun;
import io.taskgate.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkflowTopologyTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final String FAN_OUT = """
            steps:
              fetch: {task: echo.run, input: {body: "${input.text}"}}
              left: {task: echo.run, needs: [fetch], input: {part: "L ${steps.fetch.result.body}"}}
              right: {task: echo.run, needs: [fetch], input: {part: "R ${steps.fetch.result.body}"}, retries: 1}
              join: {task: echo.run, needs: [left, right], input: {all: ["${steps.left.result.part}", "${steps.right.result.part}"]}}
            """;

    private final Topics topics = new Topics("test");
    private final MutableClock clock = new MutableClock(T0);
    @TempDir
    Path stateDir;
    private TopologyTestDriver driver;
    private TestInputTopic<String, RunCommand> commands;
    private TestInputTopic<String, TaskEvent> events;
    private TestOutputTopic<String, TaskMessage> requested;
    private TestOutputTopic<String, WorkflowRun> runs;
    private TestOutputTopic<String, AuditEvent> audit;

    @BeforeEach
    void startDriver() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test-workflows");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(WorkflowTopology.build(topics, clock, Duration.ofHours(1)), props, T0);
        commands = input(topics.workflowCommands());
        events = input(topics.taskEvents());
        requested = output(topics.requested());
        runs = output(topics.workflowRuns());
        audit = output(topics.audit());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void shouldStartStepsWhoseNeedsAreMetInParallelAndPassResultsAlong() {
        WorkflowRun run = start(FAN_OUT, "{\"text\": \"hi\"}");
        TaskMessage fetch = single(requested.readValuesToList());
        assertEquals("echo.run", fetch.name());
        assertEquals("hi", fetch.input().get("body").asText());
        assertEquals(run.runId(), fetch.requestId());
        List<TaskEvent> accepted = output(topics.taskEvents()).readValuesToList();
        assertEquals(List.of(TaskEvent.Kind.ACCEPTED), accepted.stream().map(TaskEvent::event).toList());
        assertEquals(fetch.taskId(), accepted.get(0).taskId());

        succeed(fetch, "{\"body\": \"hi\"}");
        List<TaskMessage> parallel = requested.readValuesToList();
        assertEquals(2, parallel.size());
        assertEquals("L hi", parallel.get(0).input().get("part").asText());
        assertEquals("R hi", parallel.get(1).input().get("part").asText());

        succeed(parallel.get(0), "{\"part\": \"L hi\"}");
        assertTrue(requested.isEmpty(), "join waits for both of its needs");
        succeed(parallel.get(1), "{\"part\": \"R hi\"}");
        TaskMessage join = single(requested.readValuesToList());
        assertEquals("[\"L hi\",\"R hi\"]", join.input().get("all").toString());

        succeed(join, "{\"done\": true}");
        WorkflowRun ended = last(runs);
        assertEquals(WorkflowRun.Status.SUCCEEDED, ended.status());
        assertTrue(ended.steps().values().stream().allMatch(step -> step.status() == StepRun.Status.SUCCEEDED));
        assertEquals(1, ended.steps().get("fetch").attempts());
        assertTrue(audit.readValuesToList().stream().anyMatch(event -> event.action() == AuditAction.WORKFLOW_RUN_ENDED));
    }

    @Test
    void shouldRetryAFailedStepAndThenFailTheRun() {
        start(FAN_OUT, "{\"text\": \"hi\"}");
        succeed(single(requested.readValuesToList()), "{\"body\": \"hi\"}");
        TaskMessage right = requested.readValuesToList().get(1);
        fail(right, ErrorDetail.of(ErrorCode.TOOL_FAILED, "boom"));
        TaskMessage retry = single(requested.readValuesToList());
        assertEquals("R hi", retry.input().get("part").asText());
        assertTrue(!retry.taskId().equals(right.taskId()), "a retry is a new task");

        fail(retry, ErrorDetail.of(ErrorCode.TOOL_FAILED, "boom again"));
        WorkflowRun ended = last(runs);
        assertEquals(WorkflowRun.Status.FAILED, ended.status());
        assertEquals(2, ended.steps().get("right").attempts());
        assertEquals(StepRun.Status.CANCELLED, ended.steps().get("join").status());
        assertTrue(ended.error().message().contains("step 'right' failed: boom again"), ended.error().message());
    }

    @Test
    void shouldIgnoreARepeatedEventSoAFinishedStepNeverRunsAgain() {
        start(FAN_OUT, "{\"text\": \"hi\"}");
        TaskMessage fetch = single(requested.readValuesToList());
        succeed(fetch, "{\"body\": \"hi\"}");
        assertEquals(2, requested.readValuesToList().size());
        succeed(fetch, "{\"body\": \"hi\"}");
        assertTrue(requested.isEmpty());
    }

    @Test
    void shouldFailAStepWhosePathIsMissingAndSkipNothingOptional() {
        start("""
                steps:
                  a: {task: echo.run, input: {x: 1}}
                  b: {task: echo.run, needs: [a], input: {y: "${steps.a.result.nope}"}, optional: true}
                  c: {task: echo.run, needs: [b]}
                """, "{}");
        succeed(single(requested.readValuesToList()), "{\"x\": 1}");
        assertTrue(requested.isEmpty());
        WorkflowRun ended = last(runs);
        assertEquals(WorkflowRun.Status.SUCCEEDED, ended.status(), "b is optional; c is skipped");
        assertEquals("step 'b': ${steps.a.result.nope}: 'nope' is not in the result of step 'a'",
                ended.steps().get("b").error().message());
        assertEquals(StepRun.Status.SKIPPED, ended.steps().get("c").status());
    }

    @Test
    void shouldTimeOutAStepPastItsTimeout() {
        start("steps:\n  slow: {task: sleep.run, timeout_s: 5}\n", "{}");
        single(requested.readValuesToList());
        clock.advance(Duration.ofSeconds(6));
        driver.advanceWallClockTime(Duration.ofSeconds(6));
        WorkflowRun ended = last(runs);
        assertEquals(WorkflowRun.Status.FAILED, ended.status());
        assertEquals(ErrorCode.TIMEOUT, ended.steps().get("slow").error().kind());
    }

    @Test
    void shouldCancelPendingStepsOnlyForTheOwner() {
        WorkflowRun run = start(FAN_OUT, "{\"text\": \"hi\"}");
        runs.readValuesToList();
        commands.pipeInput(run.runId(), RunCommand.cancel(run.runId(), "agt_other", "req_x", T0), T0);
        assertTrue(runs.isEmpty(), "another agent cannot cancel");
        commands.pipeInput(run.runId(), RunCommand.cancel(run.runId(), "agt_1", "req_x", T0), T0);
        WorkflowRun cancelled = last(runs);
        assertEquals(WorkflowRun.Status.CANCELLED, cancelled.status());
        assertEquals(StepRun.Status.RUNNING, cancelled.steps().get("fetch").status());
        assertEquals(StepRun.Status.CANCELLED, cancelled.steps().get("join").status());
        requested.readValuesToList();
        succeed(cancelled.steps().get("fetch").taskId(), "{\"body\": \"hi\"}");
        assertTrue(requested.isEmpty(), "a cancelled run starts nothing");
    }

    @Test
    void shouldRefuseAStateStepForANamespaceTheTokenDoesNotName() {
        start("steps:\n  save: {task: state.set, input: {namespace: other, key: k, value: 1}}\n", "{}");
        assertTrue(requested.isEmpty());
        WorkflowRun ended = last(runs);
        assertEquals(WorkflowRun.Status.FAILED, ended.status());
        assertEquals(ErrorCode.FORBIDDEN, ended.steps().get("save").error().kind());
    }

    private WorkflowRun start(String document, String input) {
        WorkflowDefinition definition = new WorkflowParser(ToolCatalog.builtIn()).parse(document);
        Map<String, StepRun> steps = new LinkedHashMap<>();
        definition.steps().forEach((id, step) -> steps.put(id, StepRun.waiting(step.task())));
        WorkflowRun run = new WorkflowRun("run_" + "0".repeat(31) + "1", "wf", 1, WorkflowRun.Status.RUNNING, "agt_1", "bot",
                List.of("mine"), json(input), null, definition, steps, null, T0, null);
        commands.pipeInput(run.runId(), RunCommand.start(run, "req_1", T0), T0);
        return run;
    }

    private void succeed(TaskMessage task, String result) {
        events.pipeInput(task.taskId(), TaskEvent.succeeded(task, 1, json(result), T0), T0);
    }

    private void succeed(String taskId, String result) {
        succeed(new TaskMessage(taskId, "echo.run", "agt_1", "bot", null, null, "run_" + "0".repeat(31) + "1", null, null, T0, null),
                result);
    }

    private void fail(TaskMessage task, ErrorDetail error) {
        events.pipeInput(task.taskId(), TaskEvent.failed(task, 3, error, T0), T0);
    }

    private static <T> T single(List<T> values) {
        assertEquals(1, values.size(), values.toString());
        return values.get(0);
    }

    private static WorkflowRun last(TestOutputTopic<String, WorkflowRun> topic) {
        List<WorkflowRun> all = topic.readValuesToList();
        assertTrue(!all.isEmpty(), "no run view was published");
        return all.get(all.size() - 1);
    }

    private <V> TestInputTopic<String, V> input(TopicSpec<String, V> topic) {
        return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    private <V> TestOutputTopic<String, V> output(TopicSpec<String, V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }

    private static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
