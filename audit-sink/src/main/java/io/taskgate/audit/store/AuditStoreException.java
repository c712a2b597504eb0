package io.taskgate.audit.store;

/** The audit database refused or failed an operation; the cause says why. */
public final class AuditStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AuditStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public AuditStoreException(String message) {
        super(message);
    }
}
