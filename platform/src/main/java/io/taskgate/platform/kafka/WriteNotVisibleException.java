package io.taskgate.platform.kafka;

/**
 * A {@link SharedState} write that this instance cannot yet show: Kafka did not acknowledge it in
 * time (nothing changed) or acknowledged it but the view has not applied it yet. Either way the
 * caller may retry shortly.
 */
public final class WriteNotVisibleException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WriteNotVisibleException(String message) {
        super(message, null, false, false);
    }
}
