package io.taskgate.schemas.state;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collection;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a state namespace, key and value may be, and who may touch a namespace: a token names its
 * namespaces in its {@code state} claim, and a workflow step's {@code state.*} task may use only
 * those of the token that started the run. One place, for the HTTP API, the coordinator and workers.
 */
public final class StateLimits {
    public static final int MAX_VALUE_BYTES = 64 * 1024;
    public static final long MAX_TTL_S = 365L * 24 * 3600;
    public static final int MAX_LIST = 1_000;
    public static final Pattern NAMESPACE = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.:-]{1,200}");
    private static final String STATE_TOOL = "state.";

    private StateLimits() {
    }

    public static boolean isNamespace(String namespace) {
        return namespace != null && NAMESPACE.matcher(namespace).matches();
    }

    public static boolean isKey(String key) {
        return key != null && KEY.matcher(key).matches();
    }

    /** Why a task may not run for these namespaces, or empty: only {@code state.*} tasks are checked. */
    public static Optional<String> refusal(String taskName, JsonNode input, Collection<String> allowed) {
        if (!taskName.startsWith(STATE_TOOL)) {
            return Optional.empty();
        }
        JsonNode namespace = input == null ? null : input.get("namespace");
        if (namespace == null || !namespace.isTextual() || !isNamespace(namespace.asText())) {
            return Optional.of(taskName + " needs input.namespace: lower-case letters, digits, '_', '.', '-'");
        }
        if (!allowed.contains(namespace.asText())) {
            return Optional.of("the token does not name state namespace '" + namespace.asText() + "'");
        }
        return Optional.empty();
    }
}
