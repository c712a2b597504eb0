package io.taskgate.webhooks.schedule;

import io.taskgate.schemas.audit.AuditAction;
import io.taskgate.schemas.audit.AuditEvent;
import io.taskgate.schemas.tasks.TaskEvent;
import io.taskgate.schemas.webhooks.DeliveryAttempt;
import io.taskgate.schemas.webhooks.WebhookRecord;
import io.taskgate.webhooks.RetrySchedule;
import io.taskgate.webhooks.schedule.PendingDelivery.State;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook schedule of the tasks of one partition. A terminal task event with a callback URL
 * becomes a pending delivery, handed to the deliverers at once as a {@code due} record; each
 * attempt's {@code outcome} either finishes it (2xx, 410, schedule exhausted) or schedules the next
 * attempt in the due index, which a wall-clock punctuator scans. Every attempt becomes a
 * {@code webhook_attempt} task event (the task view's {@code deliveries}) and a {@code webhook.attempt}
 * audit record, in the same transaction as the state change, so neither is lost nor doubled.
 */
final class DeliveryScheduler implements Processor<String, Object, String, Object> {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryScheduler.class);
    static final String SERVICE = "webhooks";
    /** How soon an attempt that was not made (its host was busy) is handed out again. */
    static final Duration DEFER_DELAY = Duration.ofSeconds(1);
    /** Entries one punctuation handles at most, so a backlog never holds up the stream thread for long. */
    private static final int DUE_BATCH = 1_000;

    private final WebhookTopology.Settings settings;
    private final Clock clock;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, PendingDelivery> deliveries;
    private KeyValueStore<String, String> due;

    DeliveryScheduler(WebhookTopology.Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.deliveries = context.getStateStore(WebhookTopology.DELIVERIES);
        this.due = context.getStateStore(WebhookTopology.DUE);
        context.schedule(settings.tick(), PunctuationType.WALL_CLOCK_TIME, now -> sendDue(Instant.ofEpochMilli(now)));
    }

    @Override
    public void process(Record<String, Object> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() instanceof TaskEvent event) {
            onTaskEvent(event);
        } else if (record.value() instanceof WebhookRecord webhook) {
            switch (webhook.kind()) {
                case OUTCOME -> onOutcome(webhook);
                case REDELIVER -> onRedeliver(webhook);
                case DUE -> { }
            }
        }
    }

    private void onTaskEvent(TaskEvent event) {
        if (!event.event().isTerminal() || event.callbackUrl() == null || event.agentId() == null) {
            return;
        }
        String webhookId = WebhookPayload.webhookId(event);
        PendingDelivery known = deliveries.get(event.taskId());
        if (known != null && known.webhookId().equals(webhookId)) {
            return;
        }
        if (known != null) {
            unindex(known);
        }
        PendingDelivery pending = new PendingDelivery(event.taskId(), event.agentId(), webhookId, event.callbackUrl(),
                WebhookPayload.of(event, settings.maxPayloadBytes()), event.at(), 0, 0, State.SCHEDULED, event.at(),
                event.requestId());
        dispatch(pending, clock.instant());
    }

    private void onOutcome(WebhookRecord outcome) {
        PendingDelivery pending = deliveries.get(outcome.taskId());
        if (pending == null || !pending.webhookId().equals(outcome.webhookId()) || pending.state() != State.IN_FLIGHT
                || outcome.attempt() == null || outcome.attempt() != pending.nextAttempt()) {
            // An outcome reported twice (a deliverer restarted after reporting it) changes nothing.
            return;
        }
        Instant now = clock.instant();
        if (outcome.deferred()) {
            schedule(pending.scheduledAt(now.plus(DEFER_DELAY)));
            return;
        }
        Instant attemptedAt = outcome.at() != null ? outcome.at() : now;
        PendingDelivery next;
        Instant nextAt = null;
        if (outcome.succeeded()) {
            next = pending.attempted(State.DELIVERED, now.plus(settings.retention()));
        } else if (outcome.gone()) {
            next = pending.attempted(State.STOPPED, now.plus(settings.retention()));
        } else {
            var delay = settings.schedule().delayAfter(pending.attemptsThisRound() + 1);
            nextAt = delay.map(now::plus).orElse(null);
            next = nextAt != null
                    ? pending.attempted(State.SCHEDULED, nextAt)
                    : pending.attempted(State.GAVE_UP, now.plus(settings.retention()));
        }
        schedule(next);
        DeliveryAttempt attempt = new DeliveryAttempt(outcome.attempt(), attemptedAt, outcome.statusCode(), outcome.error(), nextAt);
        context.forward(new Record<>(pending.taskId(), TaskEvent.webhookAttempt(pending.taskId(), pending.agentId(), attempt, now),
                now.toEpochMilli()), WebhookTopology.TO_TASK_EVENTS);
        context.forward(new Record<>(pending.agentId(), audit(next, outcome, attempt), now.toEpochMilli()),
                WebhookTopology.TO_AUDIT);
    }

    private void onRedeliver(WebhookRecord request) {
        PendingDelivery pending = deliveries.get(request.taskId());
        if (pending == null) {
            LOG.info("redelivery of task {} asked for, but it has no webhook here", request.taskId());
            return;
        }
        if (pending.state() == State.IN_FLIGHT) {
            return;
        }
        unindex(pending);
        dispatch(pending.newRound(clock.instant(), request.requestId()), clock.instant());
    }

    /** Hands every delivery due by {@code now} to the deliverers, and forgets finished ones past their retention. */
    private void sendDue(Instant now) {
        List<KeyValue<String, String>> ready = new ArrayList<>();
        try (KeyValueIterator<String, String> entries = due.range(null, DueIndex.upTo(now))) {
            while (entries.hasNext() && ready.size() < DUE_BATCH) {
                ready.add(entries.next());
            }
        }
        for (KeyValue<String, String> entry : ready) {
            due.delete(entry.key);
            PendingDelivery pending = deliveries.get(entry.value);
            if (pending == null || !entry.key.equals(DueIndex.key(pending.at(), pending.taskId()))) {
                continue;
            }
            if (pending.state() == State.SCHEDULED) {
                dispatch(pending, now);
            } else if (pending.state().isFinished()) {
                deliveries.delete(pending.taskId());
            }
        }
    }

    private void dispatch(PendingDelivery pending, Instant now) {
        PendingDelivery sent = pending.inFlight(now);
        deliveries.put(sent.taskId(), sent);
        WebhookRecord record = WebhookRecord.due(sent.taskId(), sent.agentId(), sent.webhookId(), sent.nextAttempt(),
                sent.callbackUrl(), sent.payload(), sent.endedAt(), now);
        context.forward(new Record<>(sent.taskId(), record, now.toEpochMilli()), WebhookTopology.TO_WEBHOOKS);
    }

    private void schedule(PendingDelivery pending) {
        deliveries.put(pending.taskId(), pending);
        due.put(DueIndex.key(pending.at(), pending.taskId()), pending.taskId());
    }

    private void unindex(PendingDelivery pending) {
        if (pending.state() != State.IN_FLIGHT) {
            due.delete(DueIndex.key(pending.at(), pending.taskId()));
        }
    }

    /** The record's id names the webhook and the attempt, so a reader can match it to the receiver's log. */
    private static AuditEvent audit(PendingDelivery next, WebhookRecord outcome, DeliveryAttempt attempt) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("webhook_id", next.webhookId());
        details.put("attempt", attempt.attempt());
        if (attempt.statusCode() != null) {
            details.put("status_code", attempt.statusCode());
        }
        if (attempt.error() != null) {
            details.put("error", attempt.error());
        }
        if (outcome.durationMs() != null) {
            details.put("duration_ms", outcome.durationMs());
        }
        if (attempt.nextAt() != null) {
            details.put("next_at", attempt.nextAt().toString());
        }
        String result = switch (next.state()) {
            case DELIVERED -> "delivered";
            case STOPPED -> "stopped";
            case GAVE_UP -> "gave_up";
            default -> "failed";
        };
        return new AuditEvent(next.webhookId() + "-" + attempt.attempt(), attempt.at(), SERVICE, AuditAction.WEBHOOK_ATTEMPT,
                result, next.agentId(), next.taskId(), next.requestId(), null, details);
    }
}
