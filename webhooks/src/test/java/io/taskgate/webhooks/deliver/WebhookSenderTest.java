package io.taskgate.webhooks.deliver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.taskgate.platform.net.TargetAddresses;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One attempt against a real local HTTP server: what counts as success, and what is refused or capped. */
class WebhookSenderTest {
    private final AtomicInteger hits = new AtomicInteger();
    private HttpServer server;
    private ScheduledExecutorService timers;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/ok", exchange -> {
            hits.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.createContext("/moved", exchange -> {
            hits.incrementAndGet();
            exchange.getResponseHeaders().add("Location", url("/ok"));
            exchange.sendResponseHeaders(307, -1);
            exchange.close();
        });
        server.createContext("/big", exchange -> {
            hits.incrementAndGet();
            exchange.sendResponseHeaders(200, 200_000);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(new byte[200_000]);
            }
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        timers = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        timers.shutdownNow();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private WebhookSender sender(boolean allowPrivate) {
        TargetAddresses addresses = new TargetAddresses(InetAddress::getAllByName, allowPrivate);
        return new WebhookSender(addresses, timers, Duration.ofSeconds(5), 64 * 1024, true, 4, 2);
    }

    @Test
    void shouldSucceedOnA2xx() throws Exception {
        try (WebhookSender sender = sender(true)) {
            AttemptResult result = sender.post(url("/ok"), "msg_1", 1, "v1,x", "{}");
            assertTrue(result.succeeded(), result::toString);
            assertEquals(204, result.statusCode());
        }
    }

    @Test
    void shouldRefuseALoopbackReceiverAtDeliveryWithoutConnecting() throws Exception {
        try (WebhookSender sender = sender(false)) {
            AttemptResult result = sender.post(url("/ok"), "msg_1", 1, "v1,x", "{}");
            assertNull(result.statusCode());
            assertTrue(result.error().contains("loopback"), result.error());
            assertEquals(0, hits.get(), "no connection was made");
        }
    }

    @Test
    void shouldNotFollowARedirect() throws Exception {
        try (WebhookSender sender = sender(true)) {
            AttemptResult result = sender.post(url("/moved"), "msg_1", 1, "v1,x", "{}");
            assertEquals(307, result.statusCode());
            assertTrue(result.error().contains("redirects are not followed"), result.error());
            assertEquals(1, hits.get(), "the Location was not called");
        }
    }

    @Test
    void shouldFailA2xxWhoseBodyIsOverTheCap() throws Exception {
        try (WebhookSender sender = sender(true)) {
            AttemptResult result = sender.post(url("/big"), "msg_1", 1, "v1,x", "{}");
            assertTrue(!result.succeeded() && result.error().contains("over 65536 bytes"), result::toString);
        }
    }

    @Test
    void shouldRefuseAnHttpUrlWhenOnlyHttpsIsAllowed() throws Exception {
        TargetAddresses addresses = new TargetAddresses(InetAddress::getAllByName, true);
        try (WebhookSender sender = new WebhookSender(addresses, timers, Duration.ofSeconds(5), 1024, false, 4, 2)) {
            AttemptResult result = sender.post(url("/ok"), "msg_1", 1, "v1,x", "{}");
            assertTrue(result.error().contains("https"), result.error());
            assertEquals(0, hits.get());
        }
    }
}
