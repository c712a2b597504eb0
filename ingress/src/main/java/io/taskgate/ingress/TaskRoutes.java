package io.taskgate.ingress;

import io.micrometer.core.instrument.MeterRegistry;
import io.taskgate.ingress.auth.AdminAuth;
import io.taskgate.ingress.auth.Authenticator;
import io.taskgate.platform.audit.AuditLog;
import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.platform.kafka.KafkaSender;
import io.taskgate.schemas.policy.Policy;
import io.taskgate.schemas.tools.KnownTasks;
import io.undertow.server.RoutingHandler;
import java.time.Clock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The task API as {@link IngressService} sees it. The service is assembled around it, so the
 * edge, the admin API and operations can be started and tested with another task API, or none.
 */
interface TaskRoutes extends AutoCloseable {

    void start();

    boolean isReady();

    /** The task API's routes; those for admins only behind {@code admin}. */
    void addRoutes(RoutingHandler routes, AdminAuth admin);

    /**
     * The first step of stopping: new tasks are refused with 503, held requests are answered with
     * what they would get at their deadline, and the server then drains what is in flight.
     */
    void stopAccepting();

    @Override
    void close();

    /** What a task API is built from: the shared parts of one ingress instance. */
    record Parts(IngressConfig config, KafkaClients clients, KafkaSender sender, Authenticator authenticator,
                 Supplier<Policy> policy, KnownTasks tools, AuditLog audit, MeterRegistry metrics, Clock clock,
                 BooleanSupplier kafkaUp) {
    }

    @FunctionalInterface
    interface Factory {
        TaskRoutes create(Parts parts);
    }
}
