package io.taskgate.schemas.workflows;

import io.taskgate.schemas.yaml.YamlField;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Finds a cycle among the steps' {@code needs} and reports it by its steps, at the line of the first. */
final class CycleCheck {
    private final Map<String, StepDefinition> steps;
    private final Map<String, YamlField> fields;
    private final Set<String> done = new HashSet<>();

    CycleCheck(Map<String, StepDefinition> steps, Map<String, YamlField> fields) {
        this.steps = steps;
        this.fields = fields;
    }

    void run() {
        for (String id : steps.keySet()) {
            visit(id, new ArrayList<>());
        }
    }

    private void visit(String id, List<String> trail) {
        if (done.contains(id)) {
            return;
        }
        int seenAt = trail.indexOf(id);
        if (seenAt >= 0) {
            List<String> cycle = new ArrayList<>(trail.subList(seenAt, trail.size()));
            cycle.add(id);
            YamlField first = fields.get(cycle.get(0));
            throw new WorkflowException(first.path() + ".needs", first.line(),
                    "the steps form a cycle: " + String.join(" -> ", cycle));
        }
        trail.add(id);
        for (String need : steps.get(id).needs()) {
            visit(need, trail);
        }
        trail.remove(trail.size() - 1);
        done.add(id);
    }
}
