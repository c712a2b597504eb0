package io.taskgate.webhooks.schedule;

import io.taskgate.schemas.json.JsonSerde;
import java.time.Instant;
import java.util.Objects;

/**
 * One task's webhook as the scheduler keeps it. {@code attemptsMade} counts every attempt so far;
 * {@code roundStart} is how many of them came before the current round (a redelivery starts a new
 * round of the schedule). {@code at} is when it is due while {@link State#SCHEDULED}, and when it
 * is forgotten once finished.
 */
record PendingDelivery(
        String taskId,
        String agentId,
        String webhookId,
        String callbackUrl,
        String payload,
        Instant endedAt,
        int attemptsMade,
        int roundStart,
        State state,
        Instant at,
        String requestId) {

    static final JsonSerde<PendingDelivery> SERDE = new JsonSerde<>(PendingDelivery.class);

    enum State {
        /** Waiting until {@code at}. */
        SCHEDULED,
        /** Handed to the deliverers; waiting for the attempt's outcome. */
        IN_FLIGHT,
        /** A 2xx answer. */
        DELIVERED,
        /** {@code 410 Gone}: the receiver asked for no more. */
        STOPPED,
        /** The schedule ran out. */
        GAVE_UP;

        boolean isFinished() {
            return this == DELIVERED || this == STOPPED || this == GAVE_UP;
        }
    }

    PendingDelivery {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(webhookId, "webhookId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(at, "at");
    }

    int nextAttempt() {
        return attemptsMade + 1;
    }

    PendingDelivery inFlight(Instant now) {
        return new PendingDelivery(taskId, agentId, webhookId, callbackUrl, payload, endedAt, attemptsMade, roundStart,
                State.IN_FLIGHT, now, requestId);
    }

    PendingDelivery scheduledAt(Instant due) {
        return new PendingDelivery(taskId, agentId, webhookId, callbackUrl, payload, endedAt, attemptsMade, roundStart,
                State.SCHEDULED, due, requestId);
    }

    /** After one more attempt: {@code next} is its new state, {@code at} when it is due or forgotten. */
    PendingDelivery attempted(State next, Instant nextAt) {
        return new PendingDelivery(taskId, agentId, webhookId, callbackUrl, payload, endedAt, attemptsMade + 1, roundStart,
                next, nextAt, requestId);
    }

    /** A new round of the schedule, due at once. */
    PendingDelivery newRound(Instant now, String byRequest) {
        return new PendingDelivery(taskId, agentId, webhookId, callbackUrl, payload, endedAt, attemptsMade, attemptsMade,
                State.SCHEDULED, now, byRequest);
    }

    /** Attempts made in the current round. */
    int attemptsThisRound() {
        return attemptsMade - roundStart;
    }

    @Override
    public String toString() {
        return "PendingDelivery[taskId=" + taskId + ", webhookId=" + webhookId + ", attemptsMade=" + attemptsMade
                + ", state=" + state + ", at=" + at + "]";
    }
}
