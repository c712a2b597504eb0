package io.taskgate.schemas.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.List;
import java.util.Objects;

/**
 * One step of a workflow: the task it runs, the steps it waits for, its input template (with
 * {@code ${input...}} and {@code ${steps.<id>.result...}} placeholders), how often it is tried
 * again after a failure, how long one try may take, and whether its failure fails the run.
 */
public record StepDefinition(String task, List<String> needs, JsonNode input, int retries, Integer timeoutS, boolean optional) {

    public StepDefinition {
        Objects.requireNonNull(task, "task");
        needs = needs == null ? List.of() : List.copyOf(needs);
        input = input == null ? NullNode.getInstance() : input;
    }

    /** Tries in all: the first and each retry. */
    public int maxAttempts() {
        return 1 + retries;
    }
}
