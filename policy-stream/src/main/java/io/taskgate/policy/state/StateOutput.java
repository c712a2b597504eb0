package io.taskgate.policy.state;

import io.taskgate.schemas.audit.AuditEvent;
import io.taskgate.schemas.state.StateEntry;
import io.taskgate.schemas.state.StateOutcome;

/** One record the state processor emits: a key's new entry (null: deleted), a write's outcome, or an audit record. */
record StateOutput(String key, StateEntry entry, StateOutcome outcome, AuditEvent audit) {

    static StateOutput entry(String topicKey, StateEntry entry) {
        return new StateOutput(topicKey, entry, null, null);
    }

    static StateOutput outcome(StateOutcome outcome) {
        return new StateOutput(outcome.commandId(), null, outcome, null);
    }

    static StateOutput audit(AuditEvent audit) {
        return new StateOutput(audit.agentId() == null ? "-" : audit.agentId(), null, null, audit);
    }

    boolean isEntry() {
        return outcome == null && audit == null;
    }

    boolean isOutcome() {
        return outcome != null;
    }

    boolean isAudit() {
        return audit != null;
    }
}
