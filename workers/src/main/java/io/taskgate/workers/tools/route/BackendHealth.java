package io.taskgate.workers.tools.route;

import io.taskgate.workers.tools.http.TargetGuard;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;

/**
 * Whether a route's backend answers its health check ({@code health:} in the policy) with a
 * {@code 2xx}. Checked while tasks come, at most once per {@link #CHECK_EVERY} per backend, so a
 * stream of tasks to a dead backend costs one probe per interval and each task fails at once.
 */
final class BackendHealth {
    static final Duration CHECK_EVERY = Duration.ofSeconds(5);

    private record Check(Instant at, CompletableFuture<Boolean> healthy) {
    }

    private final HttpClient client;
    private final TargetGuard guard;
    private final Executor resolvers;
    private final Duration timeout;
    private final Clock clock;
    private final ConcurrentMap<URI, Check> checks = new ConcurrentHashMap<>();

    BackendHealth(HttpClient client, TargetGuard guard, Executor resolvers, Duration timeout, Clock clock) {
        this.client = client;
        this.guard = guard;
        this.resolvers = resolvers;
        this.timeout = timeout;
        this.clock = clock;
    }

    CompletableFuture<Boolean> isHealthy(URI health) {
        Instant now = clock.instant();
        return checks.compute(health, (url, last) -> last != null && last.at().plus(CHECK_EVERY).isAfter(now)
                ? last : new Check(now, probe(url))).healthy();
    }

    private CompletableFuture<Boolean> probe(URI health) {
        HttpRequest request = HttpRequest.newBuilder(health).GET().timeout(timeout).build();
        return CompletableFuture.runAsync(() -> guard.check(health.getHost()), resolvers)
                .thenCompose(checked -> client.sendAsync(request, HttpResponse.BodyHandlers.discarding()))
                .handle((response, error) -> error == null && response.statusCode() / 100 == 2);
    }
}
