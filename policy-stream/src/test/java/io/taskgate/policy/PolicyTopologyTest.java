package io.taskgate.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taskgate.policy.pools.PoolGate;
import io.taskgate.schemas.audit.AuditAction;
import io.taskgate.schemas.audit.AuditEvent;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.policy.PolicyRecord;
import io.taskgate.schemas.tasks.TaskEvent;
import io.taskgate.schemas.tasks.TaskIds;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.schemas.tasks.TaskRoute;
import io.taskgate.schemas.topics.TopicSpec;
import io.taskgate.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyTopologyTest {
    private static final Instant T0 = Instant.parse("2025-03-03T10:00:00Z");
    private static final Instant DECIDED_AT = Instant.parse("2025-03-03T10:00:00.500Z");
    private static final String ECHO_TWO_PER_MINUTE = """
            version: 1
            tasks:
              echo.*:
                rate_limit: 2/minute
            """;

    private final Topics topics = new Topics("test");
    @TempDir
    Path stateDir;
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<String, TaskMessage> requested;
    private TestInputTopic<String, PolicyRecord> policies;
    private TestOutputTopic<String, TaskMessage> readyDefault;
    private TestOutputTopic<String, TaskEvent> taskEvents;
    private TestOutputTopic<String, AuditEvent> audit;
    private int taskCount;
    private final Map<String, String> unavailablePools = new ConcurrentHashMap<>();

    @BeforeEach
    void startDriver() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test-policy");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(PolicyTopology.build(topics, Clock.fixed(DECIDED_AT, ZoneOffset.UTC), metrics,
                new PoolGate(pool -> Optional.ofNullable(unavailablePools.get(pool)), metrics)), props);
        requested = input(topics.requested());
        policies = input(topics.policies());
        readyDefault = output(topics.ready(Topics.DEFAULT_POOL));
        taskEvents = output(topics.taskEvents());
        audit = output(topics.audit());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void shouldAllowTasksUnderTheLimit() {
        usePolicy(ECHO_TWO_PER_MINUTE);

        TaskMessage first = request("agt_1", "echo.run", T0);
        TaskMessage second = request("agt_1", "echo.run", T0.plusSeconds(10));

        List<TestRecord<String, TaskMessage>> ready = readyDefault.readRecordsToList();
        assertEquals(List.of(first.taskId(), second.taskId()), ready.stream().map(TestRecord::key).toList());
        assertEquals(first.inPool(Topics.DEFAULT_POOL), ready.get(0).value());
        assertTrue(taskEvents.isEmpty());
    }

    @Test
    void shouldRejectTheTaskOverTheLimitWithWhenToRetry() {
        usePolicy(ECHO_TWO_PER_MINUTE);
        request("agt_1", "echo.run", T0);
        request("agt_1", "echo.run", T0.plusSeconds(10));

        TaskMessage third = request("agt_1", "echo.run", T0.plusSeconds(20));

        assertEquals(2, readyDefault.readRecordsToList().size());
        TestRecord<String, TaskEvent> rejected = taskEvents.readRecord();
        assertEquals(third.taskId(), rejected.key());
        assertEquals(TaskEvent.Kind.REJECTED, rejected.value().event());
        assertEquals(ErrorCode.RATE_LIMITED, rejected.value().error().kind());
        // The first task leaves the one-minute window at T0 + 60 s, 40 s after the third arrived.
        assertEquals(40L, rejected.value().error().retryAfterS());
        assertEquals(DECIDED_AT, rejected.value().at());
    }

    @Test
    void shouldCountEachDenialByReasonUnderTheSeedGatewaysName() {
        usePolicy(ECHO_TWO_PER_MINUTE);
        request("agt_1", "echo.run", T0);
        request("agt_1", "echo.run", T0.plusSeconds(10));
        assertEquals(0, metrics.find("gateway_policy_denials").counters().size());

        request("agt_1", "echo.run", T0.plusSeconds(20));
        request("agt_1", "echo.run", T0.plusSeconds(30));

        assertEquals(2.0, metrics.get("gateway_policy_denials").tag("reason", "rate_limited").counter().count());
    }

    @Test
    void shouldLetTasksThroughAgainAsTheWindowSlides() {
        usePolicy(ECHO_TWO_PER_MINUTE);
        request("agt_1", "echo.run", T0);
        request("agt_1", "echo.run", T0.plusSeconds(10));
        request("agt_1", "echo.run", T0.plusSeconds(20));
        readyDefault.readRecordsToList();
        taskEvents.readRecordsToList();

        TaskMessage afterFirstLeft = request("agt_1", "echo.run", T0.plusSeconds(60));
        request("agt_1", "echo.run", T0.plusSeconds(65));
        TaskMessage afterSecondLeft = request("agt_1", "echo.run", T0.plusSeconds(70));

        assertEquals(List.of(afterFirstLeft.taskId(), afterSecondLeft.taskId()), keys(readyDefault));
        assertEquals(5L, taskEvents.readValue().error().retryAfterS());
    }

    @Test
    void shouldRoundRetryAfterUpToWholeSeconds() {
        usePolicy("version: 1\ntasks:\n  echo.*: {rate_limit: 1/second}\n");
        request("agt_1", "echo.run", T0);

        request("agt_1", "echo.run", T0.plusMillis(999));

        assertEquals(1L, taskEvents.readValue().error().retryAfterS());
    }

    @Test
    void shouldCountLimitsPerAgent() {
        usePolicy("version: 1\ntasks:\n  echo.*: {rate_limit: 1/minute}\n");
        request("agt_1", "echo.run", T0);

        TaskMessage otherAgents = request("agt_2", "echo.run", T0.plusSeconds(1));

        assertEquals(otherAgents.taskId(), keys(readyDefault).get(1));
        assertTrue(taskEvents.isEmpty());
    }

    @Test
    void shouldCountAnonymousCallersOfPublicTasksPerClientAddress() {
        usePolicy("version: 1\ntasks:\n  public.*: {public: true, rate_limit: 1/minute}\n");
        request(anonymous("203.0.113.7"), T0);

        TaskMessage otherClient = request(anonymous("203.0.113.8"), T0.plusSeconds(1));
        TaskMessage sameClientAgain = request(anonymous("203.0.113.7"), T0.plusSeconds(2));

        assertEquals(otherClient.taskId(), keys(readyDefault).get(1));
        assertEquals(sameClientAgain.taskId(), taskEvents.readRecord().key());
    }

    @Test
    void shouldCountAnonymousIpv6CallersPerSlash64() {
        usePolicy("version: 1\ntasks:\n  public.*: {public: true, rate_limit: 1/minute}\n");
        request(anonymous("2001:db8:1:2::1"), T0);

        TaskMessage sameNetwork = request(anonymous("2001:db8:1:2::99"), T0.plusSeconds(1));

        assertEquals(1, keys(readyDefault).size());
        assertEquals(sameNetwork.taskId(), taskEvents.readRecord().key());
    }

    @Test
    void shouldApplyAPolicyUpdateWithoutRestart() {
        request("agt_1", "echo.run", T0);
        request("agt_1", "echo.run", T0.plusSeconds(1));
        assertEquals(2, readyDefault.readRecordsToList().size());

        usePolicy("version: 1\ndefaults:\n  rate_limit: 2/hour\n");
        TaskMessage overNewLimit = request("agt_1", "echo.run", T0.plusSeconds(2));

        TestRecord<String, TaskEvent> rejected = taskEvents.readRecord();
        assertEquals(overNewLimit.taskId(), rejected.key());
        assertEquals(ErrorCode.RATE_LIMITED, rejected.value().error().kind());
        assertEquals(3600L - 2, rejected.value().error().retryAfterS());
    }

    @Test
    void shouldKeepTheLastGoodPolicyWhenAnInvalidOneIsPublished() {
        usePolicy(ECHO_TWO_PER_MINUTE);
        request("agt_1", "echo.run", T0);

        usePolicy("version: 1\ntasks:\n  echo.*: {rate_limit: lots}\n");
        request("agt_1", "echo.run", T0.plusSeconds(1));
        request("agt_1", "echo.run", T0.plusSeconds(2));

        assertEquals(ErrorCode.RATE_LIMITED, taskEvents.readValue().error().kind());
    }

    @Test
    void shouldAllowListedAgentsByNameOrById() {
        usePolicy("version: 1\ntasks:\n  serpapi.search:\n    allowed_agents: [research-bot, agt_2]\n");

        TaskMessage byName = request(task("agt_1", "research-bot", "serpapi.search", null), T0);
        TaskMessage byId = request(task("agt_2", "other-bot", "serpapi.search", null), T0);
        TaskMessage neither = request(task("agt_3", "intruder", "serpapi.search", null), T0);

        assertEquals(List.of(byName.taskId(), byId.taskId()), keys(readyDefault));
        TestRecord<String, TaskEvent> rejected = taskEvents.readRecord();
        assertEquals(neither.taskId(), rejected.key());
        assertEquals(ErrorCode.POLICY_DENIED, rejected.value().error().kind());
        assertNull(rejected.value().error().retryAfterS());
    }

    @Test
    void shouldBlockDomainsExactlyAndByWildcard() {
        usePolicy("version: 1\ntasks:\n  http_fetch.*:\n    blocked_domains: [internal.company.com, \"*.corp\"]\n");

        TaskMessage exact = fetch("https://internal.company.com/admin");
        TaskMessage wildcard = fetch("http://wiki.eng.corp:8080/page");
        TaskMessage upperCaseWithDot = fetch("https://INTERNAL.Company.com./x");
        TaskMessage noHost = fetch("not a url");
        TaskMessage allowed = fetch("https://example.com/");
        TaskMessage subdomainOfExact = fetch("https://api.internal.company.com/");

        assertEquals(List.of(allowed.taskId(), subdomainOfExact.taskId()), keys(readyDefault));
        List<TestRecord<String, TaskEvent>> rejected = taskEvents.readRecordsToList();
        assertEquals(List.of(exact.taskId(), wildcard.taskId(), upperCaseWithDot.taskId(), noHost.taskId()),
                rejected.stream().map(TestRecord::key).toList());
        assertTrue(rejected.stream().allMatch(record -> record.value().error().kind() == ErrorCode.DOMAIN_BLOCKED));
    }

    @Test
    void shouldKeepAPrefixRulesBlockedDomainsWhenAnExactRuleOnlySetsARateLimit() {
        usePolicy("version: 1\ntasks:\n  http_fetch.*:\n    blocked_domains: [\"*.corp\"]\n"
                + "  http_fetch.get:\n    rate_limit: 1000/hour\n");

        TaskMessage blocked = fetch("https://wiki.eng.corp/page");
        TaskMessage allowed = fetch("https://example.com/");

        List<TestRecord<String, TaskMessage>> ready = readyDefault.readRecordsToList();
        assertEquals(List.of(allowed.taskId()), ready.stream().map(TestRecord::key).toList());
        assertEquals(List.of("*.corp"), ready.get(0).value().blockedDomains(),
                "the worker gets the blocked domains, to check each redirect hop");
        TestRecord<String, TaskEvent> rejected = taskEvents.readRecord();
        assertEquals(blocked.taskId(), rejected.key());
        assertEquals(ErrorCode.DOMAIN_BLOCKED, rejected.value().error().kind());
    }

    @Test
    void shouldRequireEveryMatchingRulesAllowedAgentsButTakeTheLimitAndPoolFromTheMostSpecific() {
        usePolicy("version: 1\ntasks:\n  \"*\":\n    allowed_agents: [research-bot, helper-bot]\n"
                + "  serpapi.*:\n    rate_limit: 1/hour\n    pool: search\n"
                + "  serpapi.search:\n    allowed_agents: [research-bot, intruder]\n    rate_limit: 2/hour\n");
        TestOutputTopic<String, TaskMessage> readySearch = output(topics.ready("search"));

        TaskMessage first = request(task("agt_1", "research-bot", "serpapi.search", null), T0);
        TaskMessage second = request(task("agt_1", "research-bot", "serpapi.search", null), T0.plusSeconds(1));
        TaskMessage third = request(task("agt_1", "research-bot", "serpapi.search", null), T0.plusSeconds(2));
        TaskMessage onlyInExact = request(task("agt_2", "intruder", "serpapi.search", null), T0.plusSeconds(3));
        TaskMessage onlyInCatchAll = request(task("agt_3", "helper-bot", "serpapi.search", null), T0.plusSeconds(4));

        assertEquals(List.of(first.taskId(), second.taskId()), keys(readySearch),
                "the exact rule's 2/hour, not the prefix's 1/hour; but the prefix's pool, as the exact rule names none");
        Map<String, ErrorCode> rejected = taskEvents.readRecordsToList().stream()
                .collect(Collectors.toMap(TestRecord::key, record -> record.value().error().kind()));
        assertEquals(Map.of(third.taskId(), ErrorCode.RATE_LIMITED, onlyInExact.taskId(), ErrorCode.POLICY_DENIED,
                onlyInCatchAll.taskId(), ErrorCode.POLICY_DENIED), rejected);
    }

    @Test
    void shouldAttachTheRouteOfTheMostSpecificRuleThatHasOne() {
        usePolicy("version: 1\ntasks:\n  users.*:\n    route: http://127.0.0.1:9000\n    route_secret: users_backend\n"
                + "  users.create:\n    rate_limit: 10/minute\n");

        TaskMessage create = request("agt_1", "users.create", T0);
        TaskMessage echo = request("agt_1", "echo.run", T0);

        Map<String, TaskMessage> ready = readyDefault.readRecordsToList().stream()
                .collect(Collectors.toMap(TestRecord::key, TestRecord::value));
        assertEquals(new TaskRoute("http://127.0.0.1:9000", "users_backend"), ready.get(create.taskId()).route());
        assertNull(ready.get(echo.taskId()).route());
    }

    @Test
    void shouldRouteTasksToTheirRulesPool() {
        usePolicy("version: 1\ntasks:\n  openai.*:\n    pool: llm\n");
        TestOutputTopic<String, TaskMessage> readyLlm = output(topics.ready("llm"));

        TaskMessage chat = request("agt_1", "openai.chat", T0);
        TaskMessage echo = request("agt_1", "echo.run", T0);

        TestRecord<String, TaskMessage> routed = readyLlm.readRecord();
        assertEquals(chat.taskId(), routed.key());
        assertEquals("llm", routed.value().pool());
        assertEquals(List.of(echo.taskId()), keys(readyDefault));
        assertTrue(readyLlm.isEmpty());
    }

    @Test
    void shouldRejectOnlyTheTasksOfAPoolWhoseTopicCannotBeCreatedAndKeepDecidingTheRest() {
        usePolicy("version: 1\ntasks:\n  openai.*:\n    pool: llm\n");
        unavailablePools.put("llm", "its ready topic test.tasks.ready.llm could not be created (InvalidTopicException)");
        TestOutputTopic<String, TaskMessage> readyLlm = output(topics.ready("llm"));

        TaskMessage chat = request("agt_1", "openai.chat", T0);
        TaskMessage echo = request("agt_1", "echo.run", T0);

        assertTrue(readyLlm.isEmpty(), "nothing is written to a pool that cannot take it");
        assertEquals(List.of(echo.taskId()), keys(readyDefault), "the other pools keep flowing");
        TaskEvent rejected = taskEvents.readValue();
        assertEquals(chat.taskId(), rejected.taskId());
        assertEquals(TaskEvent.Kind.REJECTED, rejected.event());
        assertEquals(ErrorCode.UNAVAILABLE, rejected.error().kind());
        assertTrue(rejected.error().message().contains("pool 'llm' cannot take tasks"), rejected.error().message());
        assertEquals(30L, rejected.error().retryAfterS());
        AuditEvent decision = audit.readRecordsToList().stream().map(TestRecord::value)
                .filter(event -> chat.taskId().equals(event.taskId())).findFirst().orElseThrow();
        assertEquals("denied", decision.outcome());
        assertEquals("UNAVAILABLE", decision.details().get("reason"));
        assertEquals("llm", decision.details().get("pool"));
        assertEquals(1.0, metrics.get("taskgate_policy_pool_unavailable").tag("pool", "llm").counter().count());

        unavailablePools.remove("llm");
        TaskMessage later = request("agt_1", "openai.chat", T0.plusSeconds(1));
        assertEquals(List.of(later.taskId()), keys(readyLlm), "once the topic exists the pool takes tasks again");
    }

    @Test
    void shouldDropATaskIdSeenWithin24Hours() {
        TaskMessage task = task("agt_1", "bot", "echo.run", null);
        request(task, T0);

        request(task, T0.plus(Duration.ofHours(23)));

        assertEquals(1, readyDefault.readRecordsToList().size());
        assertEquals(1, audit.readRecordsToList().size());
        assertTrue(taskEvents.isEmpty());
    }

    @Test
    void shouldDecideATaskIdAgainAfter24Hours() {
        TaskMessage task = task("agt_1", "bot", "echo.run", null);
        request(task, T0);

        request(task, T0.plus(Duration.ofHours(25)));

        assertEquals(2, readyDefault.readRecordsToList().size());
    }

    @Test
    void shouldAuditEveryDecisionKeyedByAgent() {
        usePolicy("version: 1\ntasks:\n  echo.*: {rate_limit: 1/minute}\n");
        TaskMessage allowed = request("agt_1", "echo.run", T0);
        TaskMessage denied = request("agt_1", "echo.run", T0.plusSeconds(1));

        List<TestRecord<String, AuditEvent>> records = audit.readRecordsToList();

        assertEquals(List.of("agt_1", "agt_1"), records.stream().map(TestRecord::key).toList());
        AuditEvent allowedAudit = records.get(0).value();
        assertEquals("policy:" + allowed.taskId(), allowedAudit.id());
        assertEquals(AuditAction.POLICY_DECISION, allowedAudit.action());
        assertEquals("allowed", allowedAudit.outcome());
        assertEquals("policy-stream", allowedAudit.service());
        assertEquals(allowed.taskId(), allowedAudit.taskId());
        assertEquals(allowed.requestId(), allowedAudit.requestId());
        assertEquals("echo.run", allowedAudit.details().get("task"));
        assertEquals("allowed", allowedAudit.details().get("reason"));
        assertEquals("echo.*", allowedAudit.details().get("rule"));
        AuditEvent deniedAudit = records.get(1).value();
        assertEquals("policy:" + denied.taskId(), deniedAudit.id());
        assertEquals("denied", deniedAudit.outcome());
        assertEquals("RATE_LIMITED", deniedAudit.details().get("reason"));
    }

    @Test
    void shouldCarryTheRequestIdHeaderToEveryOutput() {
        usePolicy("version: 1\ntasks:\n  echo.*: {rate_limit: 1/minute}\n");
        request("agt_1", "echo.run", T0);
        request("agt_1", "echo.run", T0.plusSeconds(1));

        byte[] allowedHeader = readyDefault.readRecord().headers().lastHeader("x-request-id").value();
        byte[] rejectedHeader = taskEvents.readRecord().headers().lastHeader("x-request-id").value();
        byte[] auditHeader = audit.readRecord().headers().lastHeader("x-request-id").value();

        assertEquals("req-1", new String(allowedHeader, StandardCharsets.UTF_8));
        assertEquals("req-2", new String(rejectedHeader, StandardCharsets.UTF_8));
        assertArrayEquals(allowedHeader, auditHeader);
    }

    @Test
    void shouldCountTheGlobalLimitOverAllAgentsTogether() {
        usePolicy("""
                version: 1
                defaults:
                  rate_limit: 100/minute
                global:
                  rate_limit: 2/minute
                """);
        request("agt_1", "echo.run", T0);
        TaskMessage second = request("agt_2", "echo.run", T0.plusSeconds(5));
        TaskMessage third = request("agt_3", "echo.run", T0.plusSeconds(10));

        List<TestRecord<String, TaskMessage>> ready = readyDefault.readRecordsToList();
        assertEquals(List.of("tsk_1", "tsk_2"), ready.stream().map(TestRecord::key).toList(), "keyed by task id again");
        assertEquals(second.requestId(), new String(ready.get(1).headers().lastHeader("x-request-id").value(), StandardCharsets.UTF_8));
        TestRecord<String, TaskEvent> rejected = taskEvents.readRecord();
        assertEquals(third.taskId(), rejected.key());
        assertEquals(ErrorCode.RATE_LIMITED, rejected.value().error().kind());
        assertEquals(50L, rejected.value().error().retryAfterS(), "the first task leaves the global window at T0 + 60 s");
        assertTrue(rejected.value().error().message().contains("global"), rejected.value().error().message());
        List<AuditEvent> decisions = audit.readValuesToList();
        assertEquals(3, decisions.size(), "one audit record per task, for its final decision");
        assertEquals("global", decisions.get(2).details().get("rule"));
    }

    @Test
    void shouldRouteTasksThroughTheGlobalGateOnlyWhileTheLimitIsSet() {
        String description = PolicyTopology.build(topics, Clock.systemUTC(), metrics,
                new PoolGate(pool -> Optional.empty(), metrics)).describe().toString();
        usePolicy(ECHO_TWO_PER_MINUTE);
        request("agt_1", "echo.run", T0);

        assertEquals(1, readyDefault.readRecordsToList().size());
        assertTrue(driver.producedTopicNames().stream().noneMatch(name -> name.contains("global-gate")),
                "no global limit, no extra hop: " + driver.producedTopicNames());
        assertTrue(description.contains("global-gate-repartition"), description);
    }

    private static <V> List<String> keys(TestOutputTopic<String, V> topic) {
        return topic.readRecordsToList().stream().map(TestRecord::key).toList();
    }

    private TaskMessage fetch(String url) {
        JsonNode input = JsonNodeFactory.instance.objectNode().put("url", url);
        return request(task("agt_1", "fetcher", "http_fetch.get", input), T0);
    }

    private TaskMessage request(String agentId, String name, Instant at) {
        return request(task(agentId, "bot-" + agentId, name, null), at);
    }

    private TaskMessage request(TaskMessage task, Instant at) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("x-request-id", task.requestId().getBytes(StandardCharsets.UTF_8));
        requested.pipeInput(new TestRecord<>(task.agentId(), task, headers, at));
        return task;
    }

    private TaskMessage task(String agentId, String agentName, String name, JsonNode input) {
        taskCount++;
        return new TaskMessage("tsk_" + taskCount, name, agentId, agentName,
                input == null ? JsonNodeFactory.instance.objectNode() : input,
                null, "req-" + taskCount, null, "10.0.0.1", T0, null);
    }

    /** A task as ingress publishes one posted without a token. */
    private TaskMessage anonymous(String clientIp) {
        taskCount++;
        return new TaskMessage("tsk_" + taskCount, "public.ping", TaskIds.ANONYMOUS, TaskIds.ANONYMOUS,
                JsonNodeFactory.instance.objectNode(), null, "req-" + taskCount, null, clientIp, T0, null);
    }

    private void usePolicy(String document) {
        policies.pipeInput(PolicyRecord.KEY, new PolicyRecord(document, T0, "test", null));
    }

    private <V> TestInputTopic<String, V> input(TopicSpec<String, V> topic) {
        return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    private <V> TestOutputTopic<String, V> output(TopicSpec<String, V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }
}
