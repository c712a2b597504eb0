package io.taskgate.audit.query;

import io.taskgate.platform.http.RequestIds;
import io.taskgate.platform.http.JsonResponses;
import io.taskgate.audit.store.AuditQuery;
import io.taskgate.audit.store.AuditReader;
import io.taskgate.audit.store.AuditStoreException;
import io.taskgate.audit.store.StoredRecord;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.errors.ErrorDetail;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import io.undertow.util.StatusCodes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/audit}: checks the parameters on the IO thread, then runs the JDBC query on a
 * bounded executor of its own, never on the IO thread. When that executor is full the answer is
 * a fast 503 with {@code Retry-After}, not a queue that grows without bound.
 * Body: {@code {"ok": true, "records": [...]}}, newest first.
 */
final class AuditQueryHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(AuditQueryHandler.class);
    private static final long RETRY_AFTER_S = 1;

    private final AuditReader store;
    private final Executor queries;

    AuditQueryHandler(AuditReader store, Executor queries) {
        this.store = store;
        this.queries = queries;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        AuditQuery query;
        try {
            query = QueryParameters.parse(exchange.getQueryParameters());
        } catch (IllegalArgumentException e) {
            JsonResponses.sendError(exchange, ErrorDetail.of(ErrorCode.BAD_REQUEST, e.getMessage()));
            return;
        }
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> submit(exchange, query));
    }

    private void submit(HttpServerExchange exchange, AuditQuery query) {
        try {
            queries.execute(() -> answer(exchange, query));
        } catch (RejectedExecutionException e) {
            JsonResponses.sendError(exchange, ErrorDetail.retryable(ErrorCode.UNAVAILABLE,
                    "too many audit queries at once; retry shortly", RETRY_AFTER_S));
        }
    }

    private void answer(HttpServerExchange exchange, AuditQuery query) {
        List<StoredRecord> records;
        try {
            records = store.query(query);
        } catch (AuditStoreException e) {
            LOG.warn("audit query {} failed: {}", RequestIds.of(exchange), e.getMessage());
            JsonResponses.sendError(exchange, ErrorDetail.retryable(ErrorCode.UNAVAILABLE,
                    "the audit database is not answering; quote request id " + RequestIds.of(exchange), RETRY_AFTER_S));
            return;
        } catch (RuntimeException e) {
            LOG.error("audit query {} failed", RequestIds.of(exchange), e);
            JsonResponses.sendError(exchange, ErrorDetail.of(ErrorCode.INTERNAL, "internal error; quote request id " + RequestIds.of(exchange)));
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ok", true);
        body.put("records", records);
        JsonResponses.send(exchange, StatusCodes.OK, body);
    }
}
