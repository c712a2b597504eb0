package io.taskgate.launcher.admin;

/** An admin command failed; the message is the one line the CLI prints. */
final class AdminException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AdminException(String message) {
        super(message, null, false, false);
    }
}
