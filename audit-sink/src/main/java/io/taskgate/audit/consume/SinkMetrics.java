package io.taskgate.audit.consume;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.taskgate.audit.store.AppendResult;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** The audit sink's meters: what was stored, skipped, dropped and lost, where the chain head is, how far behind it runs. */
public final class SinkMetrics {
    private final Counter stored;
    private final Counter duplicates;
    private final Counter invalid;
    private final Counter secretFieldsDropped;
    private final Counter storeFailures;
    private final Counter gaps;
    private final Counter lostToRetention;
    private final Timer storeDelay;
    private final AtomicLong headSeq;
    private final AtomicLong lag = new AtomicLong();

    public SinkMetrics(MeterRegistry registry, long initialHeadSeq) {
        this.stored = Counter.builder("taskgate_audit_records_stored")
                .description("audit records chained into the database").register(registry);
        this.duplicates = Counter.builder("taskgate_audit_records_duplicate")
                .description("audit records skipped because their partition and offset were already stored").register(registry);
        this.invalid = Counter.builder("taskgate_audit_records_invalid")
                .description("values on the audit topic that were not audit records, chained as 'invalid'").register(registry);
        this.secretFieldsDropped = Counter.builder("taskgate_audit_secret_fields_dropped")
                .description("secret-named fields removed from audit records before storing; a producer bug").register(registry);
        this.storeFailures = Counter.builder("taskgate_audit_store_failures")
                .description("batches the database refused; they are retried").register(registry);
        this.gaps = Counter.builder("taskgate_audit_gaps")
                .description("gap records written: audit records deleted from the topic before the sink read them; alert on any")
                .register(registry);
        this.lostToRetention = Counter.builder("taskgate_audit_records_lost")
                .description("offsets of the audit topic deleted before the sink read them").register(registry);
        this.storeDelay = Timer.builder("taskgate_audit_store_delay")
                .description("time from Kafka accepting an audit record to the sink storing it").register(registry);
        this.headSeq = new AtomicLong(initialHeadSeq);
        Gauge.builder("taskgate_audit_chain_head_seq", headSeq, AtomicLong::get)
                .description("seq of the newest record in the audit chain").register(registry);
        Gauge.builder("taskgate_audit_consumer_lag", lag, AtomicLong::get)
                .description("audit records on the topic not yet read by this sink").register(registry);
    }

    void appended(AppendResult result) {
        stored.increment(result.stored());
        duplicates.increment(result.duplicates());
        invalid.increment(result.invalid());
        secretFieldsDropped.increment(result.droppedKeys().size());
        headSeq.set(result.headSeq());
    }

    void gap(long lostOffsets) {
        gaps.increment();
        lostToRetention.increment(lostOffsets);
    }

    void delayed(Duration delay) {
        storeDelay.record(delay.isNegative() ? Duration.ZERO : delay);
    }

    void storeFailed() {
        storeFailures.increment();
    }

    void lag(long records) {
        lag.set(records);
    }
}
