package io.taskgate.launcher.access;

import org.apache.kafka.common.acl.AclOperation;

/** A right the service's Kafka user lacks; the message is the one line the service prints before it stops. */
public final class KafkaAccessDenied extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KafkaAccessDenied(AclOperation operation, String kind, String name) {
        super("kafka: this service's user may not " + operation + " " + kind + " " + name + " (missing ACL)");
    }
}
