package io.taskgate.ingress.tasks;

import io.taskgate.ingress.http.ApiException;
import io.taskgate.ingress.status.Owner;
import io.taskgate.platform.http.RequestIds;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.errors.ErrorDetail;
import io.undertow.util.HttpString;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes a task request on to the ingress instance that owns the task's status, over the same
 * public API: the same method and path, the caller's {@code Authorization} (the owner verifies it
 * again), the remaining {@code wait}, the request id, and {@link #FORWARDED_BY} naming this
 * instance. An instance receiving a forwarded request never forwards it again: if ownership moved
 * meanwhile it answers 503 and the caller retries, so a request makes at most one hop.
 */
final class OwnerForwarder {
    static final HttpString FORWARDED_BY = new HttpString("X-Taskgate-Forwarded-By");
    private static final Logger LOG = LoggerFactory.getLogger(OwnerForwarder.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** Time the owner gets beyond the wait itself to answer. */
    private static final Duration ANSWER_MARGIN = Duration.ofSeconds(5);

    private final HttpClient client;
    private final String self;

    OwnerForwarder(URI advertisedUrl) {
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.self = advertisedUrl.toString();
    }

    /**
     * The owner's answer to {@code method /__runner/tasks/{taskId}[?wait=N]}; fails with 503 when the
     * owner cannot be reached, or when this request was itself forwarded.
     */
    CompletableFuture<HttpResponse<byte[]>> forward(Owner.Remote owner, String method, String taskId, Duration wait, Caller caller) {
        if (caller.forwarded()) {
            return CompletableFuture.failedFuture(unavailable());
        }
        String query = wait.compareTo(Duration.ZERO) > 0 ? "?wait=" + wait.toSeconds() : "";
        HttpRequest.Builder request = HttpRequest.newBuilder(owner.baseUrl().resolve("/__runner/tasks/" + taskId + query))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(wait.plus(ANSWER_MARGIN))
                .header("Accept", "application/json")
                .header(RequestIds.HEADER.toString(), caller.requestId())
                .header(FORWARDED_BY.toString(), self);
        if (caller.authorization() != null) {
            request.header("Authorization", caller.authorization());
        }
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
                .exceptionallyCompose(error -> {
                    LOG.warn("request {}: owner {} of task {} did not answer: {}", caller.requestId(), owner.baseUrl(), taskId,
                            error.toString());
                    return CompletableFuture.failedFuture(unavailable());
                });
    }

    private static ApiException unavailable() {
        return new ApiException(ErrorDetail.retryable(ErrorCode.UNAVAILABLE, "task status is moving between instances; retry", 1));
    }
}
