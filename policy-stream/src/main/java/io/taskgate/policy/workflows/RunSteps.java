package io.taskgate.policy.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.schemas.audit.AuditAction;
import io.taskgate.schemas.audit.AuditEvent;
import io.taskgate.platform.audit.Redaction;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.errors.ErrorDetail;
import io.taskgate.schemas.state.StateLimits;
import io.taskgate.schemas.tasks.TaskEvent;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.schemas.workflows.RunIds;
import io.taskgate.schemas.workflows.StepDefinition;
import io.taskgate.schemas.workflows.StepInputs;
import io.taskgate.schemas.workflows.StepRun;
import io.taskgate.schemas.workflows.StepRun.Status;
import io.taskgate.schemas.workflows.WorkflowRun;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * How a run moves: every step whose needs all succeeded starts at once (its input filled from the
 * run's input and its needs' results); a failed try is tried again while the step has retries; a
 * step whose need did not succeed is skipped; a failed step that is not optional fails the run and
 * cancels the steps still waiting. Pure: the coordinator's processor feeds it and stores the result.
 */
final class RunSteps {
    static final String SERVICE = "workflows";

    private RunSteps() {
    }

    static RunChange start(WorkflowRun run, Instant now) {
        RunChange change = new RunChange(run);
        change.audits().add(audit(run, AuditAction.WORKFLOW_RUN_STARTED, "started", null, now,
                Map.of("workflow", run.workflow(), "version", run.version(), "input_hash", hash(run.input()))));
        advance(change, now);
        return change;
    }

    /** A step task's event: success, or a failure that is retried or ends the step. Other events change nothing. */
    static RunChange onTaskEvent(WorkflowRun run, TaskEvent event, Instant now) {
        RunChange change = new RunChange(run);
        Optional<String> stepId = run.steps().entrySet().stream()
                .filter(step -> event.taskId().equals(step.getValue().taskId()) && step.getValue().status() == Status.RUNNING)
                .map(Map.Entry::getKey).findFirst();
        if (stepId.isEmpty()) {
            return change;
        }
        switch (event.event()) {
            case SUCCEEDED -> {
                setStep(change, stepId.get(), change.run().steps().get(stepId.get()).succeeded(event.result(), now));
                stepEnded(change, stepId.get(), now);
                advance(change, now);
            }
            case FAILED, REJECTED, CANCELLED -> attemptFailed(change, stepId.get(),
                    event.error() != null ? event.error() : ErrorDetail.of(ErrorCode.CANCELLED, "the step's task was cancelled"), now);
            default -> {
                return change;
            }
        }
        return change;
    }

    /** Running steps past their deadline fail this try, as a failure of the task would. */
    static RunChange timeOut(WorkflowRun run, Instant now) {
        RunChange change = new RunChange(run);
        run.steps().forEach((id, step) -> {
            if (step.status() == Status.RUNNING && step.deadline() != null && !now.isBefore(step.deadline())) {
                attemptFailed(change, id, ErrorDetail.of(ErrorCode.TIMEOUT,
                        "step '" + id + "' took longer than timeout_s=" + run.definition().steps().get(id).timeoutS()), now);
            }
        });
        return change;
    }

    /** Cancels the steps not yet started; running steps finish, but the run is cancelled now. */
    static RunChange cancel(WorkflowRun run, Instant now) {
        RunChange change = new RunChange(run);
        cancelWaiting(change, now);
        change.run(change.run().ended(WorkflowRun.Status.CANCELLED, ErrorDetail.of(ErrorCode.CANCELLED, "the run was cancelled"), now));
        change.audits().add(audit(run, AuditAction.WORKFLOW_RUN_CANCELLED, "cancelled", null, now, Map.of("workflow", run.workflow())));
        return change;
    }

    private static void attemptFailed(RunChange change, String id, ErrorDetail error, Instant now) {
        StepRun step = change.run().steps().get(id);
        StepDefinition definition = change.run().definition().steps().get(id);
        if (!change.run().isEnded() && step.attempts() < definition.maxAttempts()) {
            startAttempt(change, id, now);
            advance(change, now);
            return;
        }
        setStep(change, id, step.ended(Status.FAILED, error, now));
        stepEnded(change, id, now);
        advance(change, now);
    }

    private static void advance(RunChange change, Instant now) {
        if (change.run().isEnded()) {
            return;
        }
        boolean moved = true;
        while (moved && !hasFatalFailure(change.run())) {
            moved = false;
            for (Map.Entry<String, StepRun> entry : change.run().steps().entrySet()) {
                if (entry.getValue().status() != Status.WAITING) {
                    continue;
                }
                String id = entry.getKey();
                StepDefinition definition = change.run().definition().steps().get(id);
                Optional<String> unmet = definition.needs().stream()
                        .filter(need -> change.run().steps().get(need).status().isEnded()
                                && change.run().steps().get(need).status() != Status.SUCCEEDED)
                        .findFirst();
                if (unmet.isPresent()) {
                    setStep(change, id, entry.getValue().ended(Status.SKIPPED,
                            ErrorDetail.of(ErrorCode.CANCELLED, "skipped: step '" + unmet.get() + "' did not succeed"), now));
                    moved = true;
                    break;
                }
                if (definition.needs().stream().allMatch(need -> change.run().steps().get(need).status() == Status.SUCCEEDED)) {
                    startAttempt(change, id, now);
                    moved = true;
                    break;
                }
            }
        }
        finishIfDone(change, now);
    }

    private static boolean hasFatalFailure(WorkflowRun run) {
        return run.steps().entrySet().stream().anyMatch(step -> step.getValue().status() == Status.FAILED
                && !run.definition().steps().get(step.getKey()).optional());
    }

    private static void startAttempt(RunChange change, String id, Instant now) {
        WorkflowRun run = change.run();
        StepRun step = run.steps().get(id);
        StepDefinition definition = run.definition().steps().get(id);
        JsonNode input;
        try {
            input = new StepInputs(run.input(), results(run)).fill(definition.input());
        } catch (IllegalArgumentException e) {
            setStep(change, id, step.attempt(null, now, null).ended(Status.FAILED, ErrorDetail.of(ErrorCode.BAD_REQUEST,
                    "step '" + id + "': " + e.getMessage()), now));
            stepEnded(change, id, now);
            return;
        }
        Optional<String> refused = StateLimits.refusal(definition.task(), input, run.stateNamespaces());
        if (refused.isPresent()) {
            setStep(change, id, step.attempt(null, now, null).ended(Status.FAILED,
                    ErrorDetail.of(ErrorCode.FORBIDDEN, "step '" + id + "': " + refused.get()), now));
            stepEnded(change, id, now);
            return;
        }
        int attempt = step.attempts() + 1;
        String taskId = RunIds.stepTaskId(run.agentId(), run.runId(), id, attempt);
        Instant deadline = definition.timeoutS() == null ? null : now.plusSeconds(definition.timeoutS());
        setStep(change, id, step.attempt(taskId, now, deadline));
        change.tasks().add(new TaskMessage(taskId, definition.task(), run.agentId(), run.agentName(), input, null,
                run.runId(), null, null, now, null));
        change.audits().add(audit(run, AuditAction.WORKFLOW_STEP_STARTED, "started", taskId, now,
                Map.of("step", id, "task", definition.task(), "attempt", attempt, "input_hash", hash(input))));
    }

    private static void finishIfDone(RunChange change, Instant now) {
        WorkflowRun run = change.run();
        Optional<Map.Entry<String, StepRun>> fatal = run.steps().entrySet().stream()
                .filter(step -> step.getValue().status() == Status.FAILED && !run.definition().steps().get(step.getKey()).optional())
                .findFirst();
        if (fatal.isPresent()) {
            cancelWaiting(change, now);
            ErrorDetail cause = fatal.get().getValue().error();
            change.run(change.run().ended(WorkflowRun.Status.FAILED, new ErrorDetail(cause.kind(),
                    "step '" + fatal.get().getKey() + "' failed: " + cause.message(), null), now));
        } else if (run.steps().values().stream().allMatch(step -> step.status().isEnded())) {
            change.run(run.ended(WorkflowRun.Status.SUCCEEDED, null, now));
        } else {
            return;
        }
        change.audits().add(audit(change.run(), AuditAction.WORKFLOW_RUN_ENDED, change.run().status().wireName(), null, now,
                Map.of("workflow", run.workflow(), "version", run.version())));
    }

    private static void cancelWaiting(RunChange change, Instant now) {
        change.run().steps().forEach((id, step) -> {
            if (step.status() == Status.WAITING) {
                setStep(change, id, step.ended(Status.CANCELLED, ErrorDetail.of(ErrorCode.CANCELLED, "the run ended first"), now));
            }
        });
    }

    private static void stepEnded(RunChange change, String id, Instant now) {
        StepRun step = change.run().steps().get(id);
        Map<String, Object> details = new HashMap<>(Map.of("step", id, "task", step.task(), "attempts", step.attempts()));
        if (step.result() != null) {
            details.put("result_hash", hash(step.result()));
        }
        if (step.error() != null) {
            details.put("error", step.error().codeName());
        }
        change.audits().add(audit(change.run(), AuditAction.WORKFLOW_STEP_ENDED, step.status().wireName(), step.taskId(), now, details));
    }

    private static void setStep(RunChange change, String id, StepRun step) {
        Map<String, StepRun> steps = new LinkedHashMap<>(change.run().steps());
        steps.put(id, step);
        change.run(change.run().withSteps(steps));
    }

    private static Map<String, JsonNode> results(WorkflowRun run) {
        Map<String, JsonNode> results = new HashMap<>();
        run.steps().forEach((id, step) -> {
            if (step.status() == Status.SUCCEEDED && step.result() != null) {
                results.put(id, step.result());
            }
        });
        return results;
    }

    /** Audit ids derive from what they record, so a replayed input yields the same record ids. */
    private static AuditEvent audit(WorkflowRun run, AuditAction action, String outcome, String taskId, Instant now,
                                    Map<String, Object> details) {
        Map<String, Object> all = new HashMap<>(details);
        all.put("run_id", run.runId());
        String seed = run.runId() + "|" + action.wireName() + "|" + taskId + "|" + all.get("step") + "|" + now;
        return new AuditEvent(UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString(), now, SERVICE, action,
                outcome, run.agentId(), taskId, run.runId(), null, all);
    }

    private static String hash(JsonNode payload) {
        return payload == null ? "none" : Redaction.hash(payload);
    }
}
