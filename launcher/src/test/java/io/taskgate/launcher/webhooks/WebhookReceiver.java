package io.taskgate.launcher.webhooks;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.EmptyWebhookSecretException;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A webhook receiver over real HTTP (JDK HttpServer): each path answers from its own script, and
 * every request is recorded with whether its signature verified with the Standard Webhooks library
 * under the secrets the test gave. Plus a raw socket that answers its first connection with bytes
 * that are not HTTP, then proper 200s.
 */
final class WebhookReceiver implements AutoCloseable {
    enum Answer { OK, FAIL_500, GONE, REDIRECT, HUGE, HANG }

    record Received(String path, String webhookId, String signature, String body, boolean verified, List<String> verifiedWith) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Map<String, Deque<Answer>> scripts = new ConcurrentHashMap<>();
    private final List<Received> received = new ArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final ServerSocket garbage;
    private volatile List<String> secrets = List.of();

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
        garbage = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.submit(this::serveGarbageThenOk);
    }

    /** The secrets a signature must verify with (any one of them, as the spec allows). */
    void trust(List<String> current) {
        this.secrets = List.copyOf(current);
    }

    /** {@code path} answers these, in order, then 200s. */
    String script(String path, Answer... answers) {
        scripts.put(path, new ArrayDeque<>(List.of(answers)));
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    String garbageUrl() {
        return "http://127.0.0.1:" + garbage.getLocalPort() + "/garbage";
    }

    synchronized List<Received> at(String path) {
        return received.stream().filter(request -> request.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getPath();
        record(path, exchange.getRequestHeaders(), body);
        Deque<Answer> script = scripts.get(path);
        Answer answer = script == null || script.isEmpty() ? Answer.OK : script.poll();
        switch (answer) {
            case OK -> respond(exchange, 200, "{\"ok\":true}".getBytes(StandardCharsets.UTF_8));
            case FAIL_500 -> respond(exchange, 500, "busy".getBytes(StandardCharsets.UTF_8));
            case GONE -> respond(exchange, 410, new byte[0]);
            case REDIRECT -> {
                exchange.getResponseHeaders().add("Location", "http://127.0.0.1:1/elsewhere");
                respond(exchange, 302, new byte[0]);
            }
            case HUGE -> respond(exchange, 200, new byte[1024 * 1024]);
            case HANG -> {
                awaitClosing();
                respond(exchange, 200, new byte[0]);
            }
        }
    }

    private void awaitClosing() {
        try {
            closing.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void record(String path, Map<String, List<String>> headers, String body) {
        List<String> verifiedWith = new ArrayList<>();
        for (String secret : secrets) {
            try {
                new Webhook(secret).verify(body, headers);
                verifiedWith.add(secret);
            } catch (WebhookVerificationException | EmptyWebhookSecretException | RuntimeException e) {
                // Not signed with this one.
            }
        }
        received.add(new Received(path, first(headers, "webhook-id"), first(headers, "webhook-signature"), body,
                !verifiedWith.isEmpty(), verifiedWith));
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private void serveGarbageThenOk() {
        int connections = 0;
        while (!garbage.isClosed()) {
            try (Socket socket = garbage.accept()) {
                byte[] request = readRequest(socket.getInputStream());
                String text = new String(request, StandardCharsets.UTF_8);
                synchronized (this) {
                    received.add(new Received("/garbage", null, null, text, false, List.of()));
                }
                String answer = connections++ == 0
                        ? "\u0000\u0001 this is not HTTP at all \u00ff\r\n\r\n"
                        : "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
                socket.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
            } catch (IOException e) {
                // Closed, or the client gave up: next connection.
            }
        }
    }

    /** The request head and a body of the Content-Length it declared. */
    private static byte[] readRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int next = in.read();
            if (next == -1) {
                break;
            }
            head.append((char) next);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return in.readNBytes(length);
    }

    @Override
    public void close() throws IOException {
        closing.countDown();
        server.stop(0);
        garbage.close();
        threads.shutdownNow();
    }
}
