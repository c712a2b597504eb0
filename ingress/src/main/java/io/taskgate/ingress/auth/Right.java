package io.taskgate.ingress.auth;

/** What a role may do: each guarded route names the one right it needs. */
public enum Right {
    /** Change anything the admin API changes: agents, tokens, revocations, keys, policy. */
    MANAGE,
    /** Read the admin API: agents, API keys' names and roles, the policy. */
    READ_ADMIN,
    /** Read the audit trail ({@code GET /api/audit}). */
    READ_AUDIT,
    /** See and cancel any agent's task. */
    CANCEL_ANY_TASK,
    /** Call the tasks the policy marks {@code internal: true}. */
    CALL_INTERNAL
}
