package io.taskgate.ingress.status;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.taskgate.schemas.tasks.TaskEvent;
import java.util.Locale;

/**
 * Where a task is in its life, as the status view reports it. Statuses are ranked so that events
 * arriving out of order never move a task backwards: queued, then running, then one terminal status.
 */
public enum TaskStatus {
    QUEUED(0),
    RUNNING(1),
    SUCCEEDED(2),
    FAILED(2),
    REJECTED(2),
    CANCELLED(2);

    private static final int TERMINAL_RANK = 2;

    private final int rank;

    TaskStatus(int rank) {
        this.rank = rank;
    }

    public boolean isTerminal() {
        return rank == TERMINAL_RANK;
    }

    /** Whether a task in this status may take {@code next}: never out of a terminal status, never backwards. */
    boolean canMoveTo(TaskStatus next) {
        return !isTerminal() && next.rank >= rank;
    }

    /** The status an event reports; a failed attempt leaves the task running, as it will be retried. */
    static TaskStatus reportedBy(TaskEvent.Kind kind) {
        return switch (kind) {
            case ACCEPTED -> QUEUED;
            case STARTED, ATTEMPT_FAILED -> RUNNING;
            case SUCCEEDED -> SUCCEEDED;
            case FAILED -> FAILED;
            case REJECTED -> REJECTED;
            case CANCELLED -> CANCELLED;
            case WEBHOOK_ATTEMPT -> throw new IllegalArgumentException("a webhook attempt reports no status");
        };
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    static TaskStatus fromWireName(String wireName) {
        return valueOf(wireName.toUpperCase(Locale.ROOT));
    }
}
