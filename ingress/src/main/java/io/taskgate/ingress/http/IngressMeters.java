package io.taskgate.ingress.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;

/**
 * The counters ingress keeps in Micrometer's registry, named once here so that the parts which count
 * and {@code GET /api/stats}, which reads them back, agree. Registering a counter twice returns the
 * one already registered, so every part simply asks for the counter it adds to.
 */
public final class IngressMeters {
    /** Requests refused before reaching their handler's work, tagged with why. */
    public static final String REFUSED = "taskgate_ingress_requests_refused";
    /** Tasks Kafka acknowledged and ingress answered as accepted. */
    public static final String TASKS_ACCEPTED = "taskgate_ingress_tasks_accepted";
    /** Tasks the policy denied while the caller waited, tagged with why. */
    public static final String TASKS_REJECTED = "taskgate_ingress_tasks_rejected";

    /** Why a request or task was turned away; the tag value is the lower-case name. */
    public enum Reason {
        UNAUTHORIZED, FORBIDDEN, RATE_LIMITED, BLOCKED, UNAVAILABLE, POLICY;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private IngressMeters() {
    }

    public static Counter refused(MeterRegistry registry, Reason reason) {
        return Counter.builder(REFUSED)
                .description("requests ingress refused: unauthorized, forbidden, rate_limited, blocked or unavailable")
                .tag("reason", reason.tag())
                .register(registry);
    }

    public static Counter tasksAccepted(MeterRegistry registry) {
        return Counter.builder(TASKS_ACCEPTED)
                .description("tasks Kafka acknowledged and ingress answered as accepted")
                .register(registry);
    }

    public static Counter tasksRejected(MeterRegistry registry, Reason reason) {
        return Counter.builder(TASKS_REJECTED)
                .description("tasks the policy denied while the caller waited: rate_limited, blocked or policy")
                .tag("reason", reason.tag())
                .register(registry);
    }
}
