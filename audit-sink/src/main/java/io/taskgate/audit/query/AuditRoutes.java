package io.taskgate.audit.query;

import io.taskgate.platform.http.RequestIds;
import io.taskgate.audit.store.AuditReader;
import io.undertow.Handlers;
import io.undertow.server.RoutingHandler;
import java.util.concurrent.Executor;

/** The sink's HTTP API, composed top to bottom: request id, admin token, query. */
public final class AuditRoutes {
    public static final String PATH = "/api/audit";

    private AuditRoutes() {
    }

    public static RoutingHandler create(AuditReader store, String adminToken, Executor queries) {
        return Handlers.routing().get(PATH, new RequestIds(new AdminBearer(adminToken, new AuditQueryHandler(store, queries))));
    }
}
