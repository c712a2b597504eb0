package io.taskgate.ingress.tasks;

import io.taskgate.ingress.http.ApiException;
import io.taskgate.ingress.http.ClientAddress;
import io.taskgate.ingress.http.PathParams;
import io.taskgate.ingress.status.Owner;
import io.taskgate.ingress.status.TaskStatusStore;
import io.taskgate.ingress.status.TaskView;
import io.taskgate.platform.audit.AuditLog;
import io.taskgate.platform.http.RequestIds;
import io.taskgate.platform.kafka.KafkaSender;
import io.taskgate.schemas.audit.AuditAction;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.errors.ErrorDetail;
import io.taskgate.schemas.tasks.TaskIds;
import io.taskgate.schemas.topics.Topics;
import io.taskgate.schemas.webhooks.WebhookRecord;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /api/tasks/{id}/redeliver} (admin): sends a task's webhook once more, as a new round
 * of the retry schedule with the same {@code webhook-id}, typically after the schedule gave up. The
 * webhook deliverer acts on the request; this instance checks what it can see first: when it holds
 * the task's status, an unknown task is 404 and a task still running or without a callback is 409.
 */
final class RedeliverHandler implements HttpHandler {
    private static final long PUBLISH_TIMEOUT_MS = 10_000;

    private final TaskStatusStore statuses;
    private final KafkaSender sender;
    private final Topics topics;
    private final AuditLog audit;
    private final Clock clock;

    RedeliverHandler(TaskStatusStore statuses, KafkaSender sender, Topics topics, AuditLog audit, Clock clock) {
        this.statuses = statuses;
        this.sender = sender;
        this.topics = topics;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        String taskId = PathParams.get(exchange, "id");
        if (!TaskIds.looksValid(taskId)) {
            throw TaskAccess.notFound();
        }
        String requestId = RequestIds.of(exchange);
        String clientIp = ClientAddress.of(exchange);
        Replies.dispatch(exchange, exchange.getConnection().getWorker(), () -> redeliver(taskId, requestId, clientIp));
    }

    private CompletableFuture<Reply> redeliver(String taskId, String requestId, String clientIp) {
        Optional<TaskView> view = statuses.ownerOf(taskId) instanceof Owner.Local ? Optional.of(check(taskId)) : Optional.empty();
        return sender.send(topics.webhooks(), taskId, WebhookRecord.redeliver(taskId, clock.instant(), requestId))
                .orTimeout(PUBLISH_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .handle((metadata, error) -> {
                    if (error != null) {
                        throw new ApiException(ErrorDetail.retryable(ErrorCode.UNAVAILABLE,
                                "the redelivery could not be queued; retry", 2));
                    }
                    audit.entry(AuditAction.WEBHOOK_REDELIVERY).agent(view.map(TaskView::agentId).orElse(null)).task(taskId)
                            .request(requestId).clientIp(clientIp).outcome("requested").details(Map.of()).publish();
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("ok", true);
                    body.put("task_id", taskId);
                    body.put("redelivery", "requested");
                    return Reply.json(202, body);
                });
    }

    private TaskView check(String taskId) {
        TaskView view = statuses.get(taskId).orElseThrow(TaskAccess::notFound);
        if (!view.isTerminal()) {
            throw new ApiException(ErrorCode.CONFLICT, "the task has not ended; its webhook is sent when it does");
        }
        if (view.callbackUrl() == null) {
            throw new ApiException(ErrorCode.CONFLICT, "the task was posted without a callback_url");
        }
        return view;
    }
}
