package io.taskgate.policy;

import io.micrometer.core.instrument.MeterRegistry;
import io.taskgate.platform.ops.GatewayMeters;
import io.taskgate.policy.decision.CurrentPolicy;
import io.taskgate.policy.decision.Decision;
import io.taskgate.policy.decision.GlobalGate;
import io.taskgate.policy.decision.PolicyDecider;
import io.taskgate.policy.decision.SeenTasks;
import io.taskgate.policy.pools.PoolGate;
import io.taskgate.policy.ratelimit.RateLimiter;
import io.taskgate.schemas.audit.AuditEvent;
import io.taskgate.schemas.json.JsonSerde;
import io.taskgate.schemas.policy.PolicyRecord;
import io.taskgate.schemas.tasks.TaskEvent;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.schemas.topics.TopicSpec;
import io.taskgate.schemas.topics.Topics;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The policy stream: every requested task is decided against the policy in force and becomes
 * exactly one of a task on its pool's ready topic or a rejected task event, plus one audit record,
 * all in the same transaction under exactly-once processing. While the policy sets a global rate
 * limit, tasks their own rules allow take one more exactly-once hop, through {@link GlobalGate}.
 */
public final class PolicyTopology {
    private static final JsonSerde<Decision> DECISION_SERDE = new JsonSerde<>(Decision.class);

    private PolicyTopology() {
    }

    /**
     * @param metrics where the denials are counted
     * @param pools turns tasks allowed into a pool that cannot take them into rejections
     */
    public static Topology build(Topics topics, Clock clock, MeterRegistry metrics, PoolGate pools) {
        StreamsBuilder builder = new StreamsBuilder();

        // Every instance holds the whole (one-record) policies topic, so a PUT /api/policy
        // reaches every partition's decisions without a restart or a join.
        TopicSpec<String, PolicyRecord> policies = topics.policies();
        builder.globalTable(policies.name(), Consumed.with(policies.keySerde(), policies.valueSerde()),
                Materialized.<String, PolicyRecord, KeyValueStore<Bytes, byte[]>>as(CurrentPolicy.STORE));
        builder.addStateStore(SeenTasks.storeBuilder());
        builder.addStateStore(RateLimiter.storeBuilder());
        builder.addStateStore(RateLimiter.storeBuilder(GlobalGate.STORE));

        TopicSpec<String, TaskMessage> requested = topics.requested();
        Map<String, KStream<String, Decision>> decided = builder
                .stream(requested.name(), Consumed.with(requested.keySerde(), requested.valueSerde()).withName("requested"))
                .process(() -> new PolicyDecider(clock), Named.as("decide"), SeenTasks.STORE, RateLimiter.STORE)
                .split(Named.as("decided-"))
                .branch((taskId, decision) -> decision.awaitsGlobalLimit(), Branched.as("pending"))
                .defaultBranch(Branched.as("final"));

        // requested is keyed by agent, so the global limit needs every task in one place: one partition.
        KStream<String, Decision> gated = decided.get("decided-pending")
                .selectKey((taskId, decision) -> GlobalGate.KEY, Named.as("to-global-gate"))
                .repartition(Repartitioned.<String, Decision>as("global-gate")
                        .withNumberOfPartitions(1)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(DECISION_SERDE))
                .process(() -> new GlobalGate(clock), Named.as("global-limit"), GlobalGate.STORE);
        KStream<String, Decision> decisions = decided.get("decided-final").merge(gated, Named.as("decisions"))
                .mapValues(pools::check, Named.as("pool-available"));

        TopicSpec<String, TaskMessage> anyPool = topics.ready(Topics.DEFAULT_POOL); // every pool's topic has its serdes
        decisions.filter((taskId, decision) -> decision.allowed(), Named.as("allowed"))
                .mapValues(Decision::readyTask, Named.as("to-pool"))
                .to((taskId, task, context) -> topics.ready(task.pool()).name(),
                        Produced.with(anyPool.keySerde(), anyPool.valueSerde()).withName("ready"));

        TopicSpec<String, TaskEvent> taskEvents = topics.taskEvents();
        decisions.filterNot((taskId, decision) -> decision.allowed(), Named.as("denied"))
                .peek((taskId, decision) -> GatewayMeters.policyDenials(metrics,
                        decision.denial().kind().name().toLowerCase(Locale.ROOT)).increment(), Named.as("count-denial"))
                .mapValues(Decision::rejection, Named.as("to-rejection"))
                .to(taskEvents.name(), Produced.with(taskEvents.keySerde(), taskEvents.valueSerde()).withName("task-events"));

        TopicSpec<String, AuditEvent> audit = topics.audit();
        decisions.map((taskId, decision) -> KeyValue.pair(decision.auditKey(), decision.audit()), Named.as("to-audit"))
                .to(audit.name(), Produced.with(audit.keySerde(), audit.valueSerde()).withName("audit"));

        return builder.build();
    }
}
