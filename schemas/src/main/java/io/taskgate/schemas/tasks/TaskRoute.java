package io.taskgate.schemas.tasks;

import java.util.Objects;

/**
 * Where a routed task goes: the backend's base URL from the policy's {@code route:}, the name of
 * the tool secret that signs the forwarded request ({@code route_secret:}, never the secret), and
 * the path of the backend's health check ({@code health:}), when it has one.
 */
public record TaskRoute(String url, String secret, String health) {

    public TaskRoute(String url, String secret) {
        this(url, secret, null);
    }

    public TaskRoute {
        Objects.requireNonNull(url, "url");
    }
}
