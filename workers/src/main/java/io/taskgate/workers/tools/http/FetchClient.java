package io.taskgate.workers.tools.http;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.entity.BasicAsyncEntityProducer;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.Timeout;

/**
 * http_fetch's HTTP client (Apache HttpClient 5, asynchronous): it never resolves a name itself
 * but connects to the addresses the guard checked for that host ({@link CheckedAddresses}); it
 * follows no redirect, retries nothing and keeps no cookies, as http_fetch does all of that itself.
 * TLS still verifies the certificate against the host name, and sends it as SNI.
 */
public final class FetchClient implements AutoCloseable {
    private static final int MAX_CONNECTIONS = 512;
    private static final int MAX_CONNECTIONS_PER_HOST = 32;

    private final CheckedAddresses addresses = new CheckedAddresses();
    private final CloseableHttpAsyncClient client;

    private FetchClient(Duration timeout) {
        this.client = HttpAsyncClients.custom()
                .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                        .setDnsResolver(addresses)
                        .setMaxConnTotal(MAX_CONNECTIONS)
                        .setMaxConnPerRoute(MAX_CONNECTIONS_PER_HOST)
                        .build())
                .setIOReactorConfig(IOReactorConfig.custom().setSoTimeout(Timeout.ofMilliseconds(timeout.toMillis())).build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectTimeout(Timeout.ofMilliseconds(timeout.toMillis()))
                        .setResponseTimeout(Timeout.ofMilliseconds(timeout.toMillis()))
                        .build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .build();
        client.start();
    }

    /** A started client; close it when the worker stops. */
    public static FetchClient start(Duration timeout) {
        return new FetchClient(timeout);
    }

    /** Sends one request to the checked addresses of its host; completes with the answer, its body cut at the cap. */
    CompletableFuture<FetchResponse> send(FetchRequest request, List<InetAddress> checked, int bodyCap,
                                          Map<String, String> extraHeaders) {
        URI uri = request.uri();
        addresses.pin(uri.getHost(), checked);
        AsyncRequestBuilder builder = AsyncRequestBuilder.create(request.method()).setUri(uri);
        ContentType contentType = null;
        for (Map.Entry<String, String> header : request.headers().entrySet()) {
            if (header.getKey().equalsIgnoreCase("content-type")) {
                contentType = ContentType.parseLenient(header.getValue());
            } else {
                builder.addHeader(header.getKey(), header.getValue());
            }
        }
        extraHeaders.forEach(builder::addHeader);
        if (request.body() != null) {
            builder.setEntity(new BasicAsyncEntityProducer(request.body(), contentType));
        }
        AsyncRequestProducer producer = builder.build();
        CappedResponseConsumer consumer = new CappedResponseConsumer(bodyCap);
        CompletableFuture<FetchResponse> answer = new CompletableFuture<>();
        client.execute(producer, consumer, new FutureCallback<FetchResponse>() {
            @Override
            public void completed(FetchResponse response) {
                answer.complete(response);
            }

            @Override
            public void failed(Exception error) {
                // The consumer stops the exchange once the cap is reached; what it read is the answer.
                consumer.truncated().ifPresentOrElse(answer::complete, () -> answer.completeExceptionally(error));
            }

            @Override
            public void cancelled() {
                answer.cancel(false);
            }
        });
        return answer;
    }

    @Override
    public void close() {
        client.close(CloseMode.IMMEDIATE);
    }
}
