package io.taskgate.ingress.workflows;

import io.taskgate.schemas.workflows.StepRun;
import io.taskgate.schemas.workflows.WorkflowRun;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The run view callers see: the run and every step, in the order of the definition. */
final class RunBodies {
    /** Said in every view that has a callback URL, until a webhook path exists to deliver it. */
    static final String CALLBACK_NOTE = "stored; this build has no webhook delivery, so poll the run";

    private RunBodies() {
    }

    static Map<String, Object> of(WorkflowRun run) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("run_id", run.runId());
        body.put("workflow", run.workflow());
        body.put("version", run.version());
        body.put("status", run.status().wireName());
        body.put("created_at", run.createdAt());
        if (run.endedAt() != null) {
            body.put("ended_at", run.endedAt());
        }
        if (run.error() != null) {
            body.put("error", run.error());
        }
        body.put("input", run.input());
        if (run.callbackUrl() != null) {
            body.put("callback_url", run.callbackUrl());
            body.put("callback", CALLBACK_NOTE);
        }
        List<Map<String, Object>> steps = new ArrayList<>();
        run.steps().forEach((id, step) -> steps.add(step(id, step, run.definition().steps().get(id).optional())));
        body.put("steps", steps);
        return body;
    }

    private static Map<String, Object> step(String id, StepRun step, boolean optional) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("task", step.task());
        body.put("status", step.status().wireName());
        body.put("optional", optional);
        body.put("attempts", step.attempts());
        if (step.taskId() != null) {
            body.put("task_id", step.taskId());
        }
        if (step.result() != null) {
            body.put("result", step.result());
        }
        if (step.error() != null) {
            body.put("error", step.error());
        }
        if (step.startedAt() != null) {
            body.put("started_at", step.startedAt());
        }
        if (step.endedAt() != null) {
            body.put("ended_at", step.endedAt());
        }
        return body;
    }
}
