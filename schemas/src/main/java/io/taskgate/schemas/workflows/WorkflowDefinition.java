package io.taskgate.schemas.workflows;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The steps of a workflow by id, in the order the document lists them. Built by {@link WorkflowParser}. */
public record WorkflowDefinition(Map<String, StepDefinition> steps) {

    public WorkflowDefinition {
        steps = Collections.unmodifiableMap(new LinkedHashMap<>(steps));
    }
}
