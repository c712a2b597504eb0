package io.taskgate.schemas.workflows;

import io.taskgate.schemas.tools.KnownTasks;
import io.taskgate.schemas.yaml.YamlField;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a workflow document (YAML, or JSON, which is YAML) strictly: an unknown key, a task not in
 * the known tasks (built-in or announced by a worker), a {@code needs} naming no step, a cycle (naming its steps), or a placeholder
 * reading a step the step does not need is a {@link WorkflowException} naming the field and line.
 */
public final class WorkflowParser {
    public static final int MAX_DOCUMENT_BYTES = 64 * 1024;
    public static final int MAX_STEPS = 50;
    public static final int MAX_RETRIES = 10;
    public static final int MAX_TIMEOUT_S = 3_600;
    private static final Set<String> TOP_KEYS = Set.of("steps", "description");
    private static final Set<String> STEP_KEYS = Set.of("task", "needs", "input", "retries", "timeout_s", "optional");
    private static final Pattern STEP_ID = Pattern.compile("[a-z][a-z0-9_-]{0,63}");

    private final KnownTasks catalog;

    public WorkflowParser(KnownTasks catalog) {
        this.catalog = catalog;
    }

    /**
     * @throws WorkflowException naming the field and line of the first problem found
     */
    public WorkflowDefinition parse(String document) {
        if (document.getBytes(StandardCharsets.UTF_8).length > MAX_DOCUMENT_BYTES) {
            throw new WorkflowException("", 1, "the document is larger than " + MAX_DOCUMENT_BYTES + " bytes");
        }
        Map<String, YamlField> top = root(document).mapping(TOP_KEYS);
        YamlField stepsField = top.get("steps");
        if (stepsField == null) {
            throw new WorkflowException("steps", 1, "missing; a workflow is a map of steps");
        }
        Map<YamlField, YamlField> entries = stepsField.entries();
        if (entries.isEmpty()) {
            throw stepsField.error("a workflow needs at least one step");
        }
        if (entries.size() > MAX_STEPS) {
            throw stepsField.error("at most " + MAX_STEPS + " steps, got " + entries.size());
        }
        Map<String, StepDefinition> steps = new LinkedHashMap<>();
        Map<String, YamlField> fields = new HashMap<>();
        entries.forEach((key, value) -> {
            if (!STEP_ID.matcher(key.text()).matches()) {
                throw key.error("a step id is lower-case letters, digits, '_' and '-', starting with a letter");
            }
            steps.put(key.text(), step(value));
            fields.put(key.text(), value);
        });
        steps.forEach((id, step) -> checkNeeds(id, step, steps, fields.get(id)));
        new CycleCheck(steps, fields).run();
        steps.forEach((id, step) -> checkReferences(id, step, fields.get(id)));
        return new WorkflowDefinition(steps);
    }

    private StepDefinition step(YamlField field) {
        Map<String, YamlField> keys = field.mapping(STEP_KEYS);
        YamlField task = keys.get("task");
        if (task == null) {
            throw field.error("missing 'task'");
        }
        if (!catalog.contains(task.text())) {
            throw task.error("unknown task '" + task.text() + "'; known tasks: "
                    + String.join(", ", catalog.taskNames().stream().sorted().toList()));
        }
        List<String> needs = new ArrayList<>();
        if (keys.containsKey("needs")) {
            keys.get("needs").items().forEach(need -> needs.add(need.text()));
        }
        return new StepDefinition(task.text(), needs,
                keys.containsKey("input") ? keys.get("input").toJson() : null,
                keys.containsKey("retries") ? keys.get("retries").wholeNumber(0, MAX_RETRIES) : 0,
                keys.containsKey("timeout_s") ? keys.get("timeout_s").wholeNumber(1, MAX_TIMEOUT_S) : null,
                keys.containsKey("optional") && keys.get("optional").bool());
    }

    private static void checkNeeds(String id, StepDefinition step, Map<String, StepDefinition> steps, YamlField field) {
        List<YamlField> needs = field.mapping(STEP_KEYS).containsKey("needs") ? field.mapping(STEP_KEYS).get("needs").items() : List.of();
        for (YamlField need : needs) {
            if (!steps.containsKey(need.text())) {
                throw need.error("unknown step '" + need.text() + "'; steps are " + String.join(", ", steps.keySet()));
            }
            if (need.text().equals(id)) {
                throw need.error("step '" + id + "' cannot need itself");
            }
        }
    }

    private static void checkReferences(String id, StepDefinition step, YamlField field) {
        YamlField input = field.mapping(STEP_KEYS).get("input");
        if (input != null) {
            checkReferencesIn(id, step, input);
        }
    }

    private static void checkReferencesIn(String id, StepDefinition step, YamlField field) {
        if (field.isScalar()) {
            for (String expression : Placeholder.expressionsIn(field.rawText())) {
                Placeholder placeholder;
                try {
                    placeholder = Placeholder.parse(expression);
                } catch (IllegalArgumentException e) {
                    throw field.error(e.getMessage());
                }
                placeholder.step().filter(ref -> !step.needs().contains(ref)).ifPresent(ref -> {
                    throw field.error("step '" + id + "' reads the result of step '" + ref
                            + "' but does not need it; add it to needs");
                });
            }
            return;
        }
        if (field.node() instanceof MappingNode) {
            field.entries().values().forEach(value -> checkReferencesIn(id, step, value));
        } else if (field.node() instanceof SequenceNode) {
            field.items().forEach(item -> checkReferencesIn(id, step, item));
        }
    }

    private static YamlField root(String document) {
        return YamlField.root(document, WorkflowException::new, "the document is empty; expected a map with 'steps'");
    }
}
