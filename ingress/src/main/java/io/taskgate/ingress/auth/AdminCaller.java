package io.taskgate.ingress.auth;

/**
 * Who passed the admin API's guard: the admin token ({@code keyId} null) or an API key.
 * {@link #describe()} names it for the audit trail without revealing a secret.
 */
public record AdminCaller(String keyId, Role role) {
    static final AdminCaller ADMIN_TOKEN = new AdminCaller(null, Role.ADMIN);

    public String describe() {
        return keyId == null ? "admin_token" : keyId;
    }
}
