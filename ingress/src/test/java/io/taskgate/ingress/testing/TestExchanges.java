package io.taskgate.ingress.testing;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taskgate.platform.audit.AuditLog;
import io.taskgate.platform.kafka.KafkaSender;
import io.taskgate.schemas.topics.Topics;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Exchanges and an audit log for handler tests that need neither a server nor a broker. */
public final class TestExchanges {
    private TestExchanges() {
    }

    public static HttpServerExchange from(String clientIp) {
        HttpServerExchange exchange = new HttpServerExchange(null);
        exchange.setSourceAddress(new InetSocketAddress(clientIp, 40000));
        exchange.setRequestMethod(Methods.GET);
        exchange.setRequestPath("/api/test");
        exchange.setRelativePath("/api/test");
        exchange.setRequestURI("/api/test");
        return exchange;
    }

    public static HttpServerExchange withAuthorization(String authorization) {
        HttpServerExchange exchange = from("127.0.0.1");
        if (authorization != null) {
            exchange.getRequestHeaders().put(Headers.AUTHORIZATION, authorization);
        }
        return exchange;
    }

    public static Audit audit() {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        AuditLog log = new AuditLog(new KafkaSender(producer), new Topics("test"), "ingress",
                Executors.newSingleThreadScheduledExecutor(), Clock.systemUTC(), new SimpleMeterRegistry());
        return new Audit(log, producer);
    }

    /** An audit log whose records stay in memory, as the JSON they would be sent as. */
    public record Audit(AuditLog log, MockProducer<byte[], byte[]> producer) {
        public List<String> published() {
            return producer.history().stream().map(record -> new String(record.value(), StandardCharsets.UTF_8)).toList();
        }
    }
}
