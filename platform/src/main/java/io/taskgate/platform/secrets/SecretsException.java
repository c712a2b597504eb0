package io.taskgate.platform.secrets;

/** The secrets file cannot be used: no key, the wrong key, or altered content. The message says which. */
public final class SecretsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SecretsException(String message) {
        super(message);
    }
}
