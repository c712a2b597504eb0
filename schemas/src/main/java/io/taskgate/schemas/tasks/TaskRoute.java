package io.taskgate.schemas.tasks;

import java.util.Objects;

/**
 * Where a routed task goes: the backend's base URL from the policy's {@code route:}, and the name
 * of the tool secret that signs the forwarded request ({@code route_secret:}), never the secret.
 */
public record TaskRoute(String url, String secret) {

    public TaskRoute {
        Objects.requireNonNull(url, "url");
    }
}
