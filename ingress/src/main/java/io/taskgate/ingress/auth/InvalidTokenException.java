package io.taskgate.ingress.auth;

/**
 * A token Taskgate will not honour. {@link #reason()} is a short machine word for the audit trail
 * and metrics ({@code expired}, {@code bad_signature}, ...); callers are only ever told "invalid".
 */
public final class InvalidTokenException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String reason;

    public InvalidTokenException(String reason) {
        super(reason, null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
