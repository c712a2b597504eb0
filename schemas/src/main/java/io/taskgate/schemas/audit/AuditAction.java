package io.taskgate.schemas.audit;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What an audit record is about, as a dotted name on the wire ({@code task.succeeded}). */
public enum AuditAction {
    AGENT_CREATED("agent.created"),
    AGENT_DISABLED("agent.disabled"),
    WEBHOOK_SECRET_ROTATED("agent.webhook_secret_rotated"),
    TOKEN_ISSUED("token.issued"),
    TOKEN_REVOKED("token.revoked"),
    API_KEY_CREATED("api_key.created"),
    API_KEY_DELETED("api_key.deleted"),
    AUTH_FAILED("auth.failed"),
    ACCESS_DENIED("access.denied"),
    POLICY_UPDATED("policy.updated"),
    POLICY_DECISION("policy.decision"),
    TASK_ACCEPTED("task.accepted"),
    TASK_STARTED("task.started"),
    TASK_ATTEMPT_FAILED("task.attempt_failed"),
    TASK_SUCCEEDED("task.succeeded"),
    TASK_FAILED("task.failed"),
    TASK_CANCELLED("task.cancelled"),
    TASK_DEAD_LETTERED("task.dead_lettered"),
    WORKFLOW_DEFINED("workflow.defined"),
    WORKFLOW_RUN_STARTED("workflow.run_started"),
    WORKFLOW_RUN_ENDED("workflow.run_ended"),
    WORKFLOW_RUN_CANCELLED("workflow.run_cancelled"),
    WORKFLOW_STEP_STARTED("workflow.step_started"),
    WORKFLOW_STEP_ENDED("workflow.step_ended"),
    STATE_WRITTEN("state.written"),
    STATE_DELETED("state.deleted"),
    STATE_EXPIRED("state.expired"),
    WEBHOOK_ATTEMPT("webhook.attempt"),
    WEBHOOK_REDELIVERY("webhook.redelivery");

    private final String wireName;

    AuditAction(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static AuditAction fromWireName(String wireName) {
        for (AuditAction action : values()) {
            if (action.wireName.equals(wireName)) {
                return action;
            }
        }
        throw new IllegalArgumentException("unknown audit action: " + wireName);
    }
}
