package io.taskgate.launcher.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskgate.testing.Await;
import io.taskgate.testing.HttpDriver;
import io.taskgate.testing.HttpDriver.Response;
import io.taskgate.testing.TestKafka;
import io.taskgate.testing.WithKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What each service's {@code /metrics} says after some traffic, as Prometheus and Grafana read it:
 * the seed gateway's names where they belong, latency buckets, consumer lag per group, and an
 * exposition {@code promtool} finds no fault with in Taskgate's own metrics.
 */
@WithKafka
class MetricsExpositionIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    /**
     * The one lint promtool may report on Taskgate's names: the seed's _ms unit, kept for its
     * dashboards (on the histogram and on the _max gauge Micrometer publishes beside it).
     */
    private static final Pattern ALLOWED_WARNING =
            Pattern.compile("^gateway_request_duration_ms(_max)? metric names should not contain abbreviated units$");
    private static final Pattern OWN_METRIC = Pattern.compile("^(taskgate|gateway)_.*");
    /** promtool's lint lines are "name problem"; its errors ("error while linting: ...") are not. */
    private static final Pattern LINT = Pattern.compile("^[a-zA-Z_:][a-zA-Z0-9_:]* .+");

    @TempDir
    static Path dataDir;

    private static ServiceFleet fleet;
    private static final Map<String, String> SCRAPES = new LinkedHashMap<>();

    @BeforeAll
    static void startAndDrive(TestKafka kafka) throws Exception {
        fleet = new ServiceFleet(kafka, dataDir);
        HttpDriver http = new HttpDriver(fleet.ingressUrl());
        String agent = http.createAgent(fleet.adminToken(), "{\"name\": \"metrics-bot\", \"tools\": [\"echo\"], \"actions\": [\"*\"]}");
        String token = http.mintToken(fleet.adminToken(), agent, "{}");
        Response answered = http.postTask(token, "echo.run", "{\"input\": {\"n\": 1}}", "Prefer", "wait=30");
        assertEquals(200, answered.statusCode(), answered::toString);
        http.postTask("not-a-token", "echo.run", "{\"input\": 1}").assertError(401, "UNAUTHORIZED");
        http.postTask(token, "no.such", "{\"input\": 1}").assertError(404, "NOT_FOUND");

        Path out = Files.createDirectories(Path.of("target", "metrics"));
        for (Map.Entry<String, String> service : fleet.metricsUrls().entrySet()) {
            String text = Await.value(service.getKey() + " /metrics", () -> scrape(service.getValue()), body -> !body.isEmpty(), DEADLINE);
            SCRAPES.put(service.getKey(), text);
            Files.writeString(out.resolve(service.getKey() + ".prom"), text);
        }
    }

    @AfterAll
    static void stop() {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void shouldPassPromtoolWithNoWarningOnTaskgatesOwnMetrics() throws Exception {
        Promtool promtool = Promtool.required();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> scrape : SCRAPES.entrySet()) {
            Promtool.Result result = promtool.checkMetrics(scrape.getValue());
            for (String line : result.lines()) {
                // A parse error is a fault whoever's metric it is; a lint only on Taskgate's own names.
                boolean lint = LINT.matcher(line).matches() && !line.startsWith("error");
                if (!lint || OWN_METRIC.matcher(line).matches() && !ALLOWED_WARNING.matcher(line).matches()) {
                    problems.add(scrape.getKey() + ": " + line);
                }
            }
            if (result.exitCode() != 0 && result.lines().isEmpty()) {
                problems.add(scrape.getKey() + ": promtool exited " + result.exitCode() + " without saying why");
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void shouldPublishTheSeedGatewaysNamesOnTheServicesWhereTheyHappen() {
        assertHas("ingress", "gateway_requests_total{action=\"run\",region=\"test\",status=\"200\",tool=\"echo\"} 1.0");
        assertHas("ingress", "gateway_requests_total{action=\"unknown\",region=\"test\",status=\"404\",tool=\"unknown\"} 1.0");
        assertHas("ingress", "gateway_request_duration_ms_bucket{action=\"run\",region=\"test\",tool=\"echo\",le=\"");
        assertHas("ingress", "gateway_token_validations_total{region=\"test\",result=\"valid\"}");
        assertHas("ingress", "gateway_token_validations_total{region=\"test\",result=\"malformed\"} 1.0");
        assertHas("policy-stream", "gateway_policy_denials_total{reason=\"rate_limited\",region=\"test\"} 0.0");
        assertHas("worker", "gateway_retries_total{pool=\"default\",region=\"test\",tool=\"http_fetch\"} 0.0");
        assertHas("worker", "gateway_breaker_state{pool=\"default\",region=\"test\",tool=\"echo\"} 0.0");
    }

    @Test
    void shouldPublishLatencyBucketsSoThatAP99CanBeComputedAcrossInstances() {
        assertHas("ingress", "taskgate_http_requests_seconds_bucket{method=\"POST\",region=\"test\",route=\"/__runner/task/{name}\",status=\"200\",le=\"0.1\"}");
        assertHas("worker", "taskgate_worker_tasks_seconds_bucket{outcome=\"succeeded\",pool=\"default\",region=\"test\",tool=\"echo\",le=\"0.005\"}");
        assertHas("webhooks", "taskgate_webhook_attempt_duration_seconds_bucket{region=\"test\",le=\"");
    }

    @Test
    void shouldPublishTheLagOfEveryConsumerGroup() {
        assertHas("worker", "taskgate_kafka_consumer_group_lag{group=\"");
        assertHas("policy-stream", "taskgate_kafka_consumer_group_lag{group=\"");
        assertHas("ingress", "taskgate_kafka_consumer_group_lag{group=\"");
        assertHas("worker", "kafka_consumer_fetch_manager_records_lag_max");
    }

    @Test
    void shouldChartOnlyMetricsThatSomeServicePublishes() throws Exception {
        Set<String> published = SCRAPES.values().stream()
                .flatMap(String::lines)
                .filter(line -> !line.startsWith("#") && !line.isBlank())
                .map(line -> line.split("[{ ]", 2)[0])
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> charted = GrafanaDashboard.read(Path.of("..", "ops", "grafana", "taskgate.json")).metricNames();

        assertTrue(charted.size() >= 10, "the dashboard charts the gateway: " + charted);
        Set<String> missing = new TreeSet<>(charted);
        missing.removeAll(published);
        assertEquals(Set.of(), missing, "charted but published by no service");
    }

    private static void assertHas(String service, String sample) {
        String scrape = SCRAPES.get(service);
        assertTrue(scrape.contains(sample), service + " /metrics lacks " + sample);
    }

    private static String scrape(String url) {
        Response response = new HttpDriver(url.substring(0, url.indexOf("/metrics"))).get("/metrics");
        return response.statusCode() == 200 ? response.body() : "";
    }
}
