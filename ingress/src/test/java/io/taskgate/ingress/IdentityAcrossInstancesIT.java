package io.taskgate.ingress;

import static io.taskgate.ingress.testing.ClientAssertions.claims;
import static io.taskgate.ingress.testing.ClientAssertions.privateKey;
import static io.taskgate.ingress.testing.ClientAssertions.signEdDsa;
import static io.taskgate.testing.HttpDriver.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.platform.config.Setting;
import io.taskgate.testing.Await;
import io.taskgate.testing.HttpDriver;
import io.taskgate.testing.HttpDriver.Response;
import io.taskgate.testing.TestKafka;
import io.taskgate.testing.WithKafka;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Self-service tokens, revocation and key rotation across two ingress instances on one broker:
 * what one instance learns (a used jti, a revocation) the other honours.
 */
@WithKafka
class IdentityAcrossInstancesIT {
    private static final String ADMIN_TOKEN = "it-admin-token-" + UUID.randomUUID();
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final Duration PROPAGATION = Duration.ofSeconds(2);
    private static final int MEASURED_REVOCATIONS = 100;

    private static TestKafka kafka;
    private static TestIngresses ingresses;
    private static IngressService first;
    private static IngressService second;
    private static HttpDriver one;
    private static HttpDriver two;

    @BeforeAll
    static void start(TestKafka classKafka) {
        kafka = classKafka;
        ingresses = new TestIngresses(kafka, ADMIN_TOKEN);
        first = ingresses.withoutTasks(Map.of());
        second = ingresses.withoutTasks(Map.of());
        one = new HttpDriver(first.port());
        two = new HttpDriver(second.port());
    }

    @AfterAll
    static void stop() {
        for (IngressService ingress : new IngressService[] {first, second}) {
            if (ingress != null) {
                ingress.close();
            }
        }
    }

    @Test
    void shouldMintATokenFromAClientAssertionAndRefuseItsReplayOnEveryInstance() {
        Agent agent = createAgentKnownToBoth("self-" + suffix());
        String assertion = signEdDsa(agent.key(), claims(agent.id(), "taskgate", Instant.now()).build());

        Response minted = one.postJson("/api/agents/" + agent.id() + "/tokens", "{\"tools\": [\"echo\"]}", bearer(assertion));

        assertEquals(201, minted.statusCode(), minted.body());
        String token = minted.json().get("token").asText();
        assertEquals(200, two.send("POST", "/api/validate", null, null, bearer(token)).statusCode());
        two.postJson("/api/agents/" + agent.id() + "/tokens", "{}", bearer(assertion)).assertError(401, "UNAUTHORIZED");
        one.postJson("/api/agents/" + agent.id() + "/tokens", "{}", bearer(assertion)).assertError(401, "UNAUTHORIZED");
    }

    @Test
    void shouldLetOnlyOneOfTwoInstancesAcceptTheSameAssertionAtOnce() {
        Agent agent = createAgentKnownToBoth("race-" + suffix());
        for (int i = 0; i < 20; i++) {
            String assertion = signEdDsa(agent.key(), claims(agent.id(), "taskgate", Instant.now()).build());
            CompletableFuture<Response> atOne = one.sendAsync("POST", "/api/agents/" + agent.id() + "/tokens", "application/json",
                    "{}", bearer(assertion));
            CompletableFuture<Response> atTwo = two.sendAsync("POST", "/api/agents/" + agent.id() + "/tokens", "application/json",
                    "{}", bearer(assertion));

            List<Integer> statuses = List.of(atOne.join().statusCode(), atTwo.join().statusCode());

            assertEquals(List.of(201, 401), statuses.stream().sorted().toList(), "round " + i);
        }
    }

    @Test
    void shouldRefuseAssertionsOfADisabledAgentAndForAnotherAgent() {
        Agent agent = createAgentKnownToBoth("gone-" + suffix());
        Agent other = createAgentKnownToBoth("other-" + suffix());
        String forOther = signEdDsa(agent.key(), claims(agent.id(), "taskgate", Instant.now()).build());
        one.postJson("/api/agents/" + other.id() + "/tokens", "{}", bearer(forOther)).assertError(401, "UNAUTHORIZED");

        assertEquals(200, one.delete("/api/agents/" + agent.id(), bearer(ADMIN_TOKEN)).statusCode());

        Await.until("the second instance refuses the disabled agent's assertions", () -> two.postJson(
                "/api/agents/" + agent.id() + "/tokens", "{}",
                bearer(signEdDsa(agent.key(), claims(agent.id(), "taskgate", Instant.now()).build()))).statusCode() == 401, DEADLINE);
    }

    @Test
    void shouldRefuseARevokedTokenOnTheOtherInstanceWithinTwoSecondsMeasuredOverAHundredRevocations() {
        Agent agent = createAgentKnownToBoth("revoked-" + suffix());
        List<Long> sinceSent = new ArrayList<>();
        List<Long> sinceAnswered = new ArrayList<>();
        for (int i = 0; i < MEASURED_REVOCATIONS; i++) {
            JsonNode minted = one.postJson("/api/agents/" + agent.id() + "/tokens", "{}", bearer(ADMIN_TOKEN)).json();
            String token = minted.get("token").asText();
            assertEquals(200, validate(two, token), "a fresh token is valid on the second instance");
            String body = i % 2 == 0 ? "{\"token\": \"" + token + "\"}" : "{\"jti\": \"" + jtiOf(token) + "\"}";

            long sent = System.nanoTime();
            Response revoked = one.postJson("/api/tokens/revoke", body, bearer(ADMIN_TOKEN));
            long answered = System.nanoTime();
            assertEquals(200, revoked.statusCode(), revoked.body());
            assertEquals(401, validate(one, token), "the revoking instance refuses the token as soon as it answered");
            long deadline = answered + PROPAGATION.toNanos();
            while (validate(two, token) != 401) {
                assertTrue(System.nanoTime() < deadline, "revocation " + i + " not seen on the second instance within 2 s");
            }
            long refused = System.nanoTime();
            sinceSent.add((refused - sent) / 1_000);
            sinceAnswered.add((refused - answered) / 1_000);
        }
        System.out.printf("revoke on one instance -> refused on the other, over %d revocations: "
                        + "from the revoke request p50 %.1f ms, max %.1f ms; from its answer p50 %.1f ms, max %.1f ms%n",
                MEASURED_REVOCATIONS, percentile(sinceSent, 50), percentile(sinceSent, 100),
                percentile(sinceAnswered, 50), percentile(sinceAnswered, 100));
    }

    @Test
    void shouldHaveReadEveryRevocationBeforeARestartedInstanceReportsReady() {
        Agent agent = createAgentKnownToBoth("restart-" + suffix());
        String token = one.mintToken(ADMIN_TOKEN, agent.id(), "{}");
        assertEquals(200, one.postJson("/api/tokens/revoke", "{\"token\": \"" + token + "\"}", bearer(ADMIN_TOKEN)).statusCode());

        try (IngressService restarted = ingresses.withoutTasks(Map.of())) {
            HttpDriver three = new HttpDriver(restarted.port());

            assertEquals(200, three.get("/health").statusCode());
            assertEquals(401, validate(three, token));
        }
    }

    @Test
    void shouldAcceptThePreviousKeysTokensDuringARotationAndRefuseAnUnknownKid() {
        Agent agent = createAgentKnownToBoth("rotate-" + suffix());
        String signedWithK1 = one.mintToken(ADMIN_TOKEN, agent.id(), "{}");
        String nextSecret = "it-next-hmac-secret-" + UUID.randomUUID();

        try (IngressService rotated = ingresses.withoutTasks(Map.of(Setting.TOKEN_KID, "k2", Setting.TOKEN_HMAC_SECRET, nextSecret,
                Setting.TOKEN_HMAC_PREVIOUS, TestIngresses.HMAC_SECRET, Setting.TOKEN_PREVIOUS_KID, "k1"));
             IngressService retired = ingresses.withoutTasks(Map.of(Setting.TOKEN_KID, "k2", Setting.TOKEN_HMAC_SECRET, nextSecret))) {
            HttpDriver during = new HttpDriver(rotated.port());
            HttpDriver after = new HttpDriver(retired.port());
            Await.until("the rotated instances know the agent", () -> validate(during, signedWithK1) == 200, DEADLINE);
            String signedWithK2 = during.mintToken(ADMIN_TOKEN, agent.id(), "{}");

            assertTrue(headerOf(signedWithK2).contains("\"kid\":\"k2\""), headerOf(signedWithK2));
            assertEquals(200, validate(during, signedWithK2));
            assertEquals(200, validate(after, signedWithK2));
            assertEquals(401, validate(after, signedWithK1), "once the previous key is gone, its kid is unknown");
            assertEquals(401, validate(one, signedWithK2), "an instance that never had k2 refuses it");
        }
    }

    private static Agent createAgentKnownToBoth(String name) {
        JsonNode created = one.postJson("/api/agents", "{\"name\": \"" + name + "\", \"tools\": [\"*\"], \"actions\": [\"*\"]}",
                bearer(ADMIN_TOKEN)).json();
        String id = created.get("id").asText();
        Await.until("the second instance knows agent " + id,
                () -> two.get("/api/agents/" + id, bearer(ADMIN_TOKEN)).statusCode() == 200, DEADLINE);
        return new Agent(id, privateKey(created.get("private_key").asText()));
    }

    private static int validate(HttpDriver http, String token) {
        return http.send("POST", "/api/validate", null, null, bearer(token)).statusCode();
    }

    private static String jtiOf(String token) {
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        return payload.replaceAll(".*\"jti\":\"([^\"]+)\".*", "$1");
    }

    private static String headerOf(String token) {
        return new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]));
    }

    private static double percentile(List<Long> micros, int percent) {
        List<Long> sorted = new ArrayList<>(micros);
        Collections.sort(sorted);
        int index = Math.max(0, (int) Math.ceil(percent / 100.0 * sorted.size()) - 1);
        return sorted.get(index) / 1000.0;
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private record Agent(String id, PrivateKey key) {
    }
}
