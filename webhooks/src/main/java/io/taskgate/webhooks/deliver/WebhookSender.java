package io.taskgate.webhooks.deliver;

import io.taskgate.platform.net.CallbackUrl;
import io.taskgate.platform.net.RefusedAddressException;
import io.taskgate.platform.net.TargetAddresses;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.ClientProtocolException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * Makes one webhook attempt over HTTP. The URL is checked again as at submission, and the client's
 * name resolution is {@link TargetAddresses}, so the connection goes to an address that was checked
 * just then (pinned: no second lookup an attacker's DNS could answer differently). Redirects are
 * not followed, the whole attempt is bounded by {@code timeout}, and at most {@code maxAnswerBytes}
 * of the receiver's answer are read. Errors name the reason, never the URL's query or a secret.
 */
final class WebhookSender implements AutoCloseable {
    static final String USER_AGENT = "Taskgate-Webhooks/1";

    private final CloseableHttpClient client;
    private final ScheduledExecutorService timers;
    private final Duration timeout;
    private final int maxAnswerBytes;
    private final boolean allowHttp;

    WebhookSender(TargetAddresses addresses, ScheduledExecutorService timers, Duration timeout, int maxAnswerBytes,
                  boolean allowHttp, int maxConnections, int maxPerHost) {
        Timeout bound = Timeout.of(timeout.toMillis(), TimeUnit.MILLISECONDS);
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(new CheckedResolver(addresses))
                        .setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(bound).build())
                        .setMaxConnTotal(maxConnections)
                        .setMaxConnPerRoute(maxPerHost)
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectTimeout(bound)
                        .setResponseTimeout(bound)
                        .setConnectionRequestTimeout(bound)
                        .setRedirectsEnabled(false)
                        .setContentCompressionEnabled(false)
                        .build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .setUserAgent(USER_AGENT)
                .build();
        this.timers = timers;
        this.timeout = timeout;
        this.maxAnswerBytes = maxAnswerBytes;
        this.allowHttp = allowHttp;
    }

    /** One POST of {@code payload} to {@code url} with the given Standard Webhooks headers. Never throws. */
    AttemptResult post(String url, String webhookId, long timestampSeconds, String signature, String payload) {
        long started = System.nanoTime();
        var problem = CallbackUrl.problem(url, allowHttp);
        if (problem.isPresent()) {
            return AttemptResult.failed(null, "refused: the callback URL " + problem.get(), "refused", 0);
        }
        HttpPost request = new HttpPost(url);
        request.setHeader("webhook-id", webhookId);
        request.setHeader("webhook-timestamp", Long.toString(timestampSeconds));
        request.setHeader("webhook-signature", signature);
        request.setEntity(new StringEntity(payload, ContentType.APPLICATION_JSON));
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> deadline = timers.schedule(() -> {
            timedOut.set(true);
            request.cancel();
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try (CloseableHttpResponse response = client.execute(request)) {
            int status = response.getCode();
            String bodyProblem = readCapped(response.getEntity());
            long took = millisSince(started);
            if (timedOut.get()) {
                return timedOut(took);
            }
            if (bodyProblem != null) {
                return AttemptResult.failed(status, bodyProblem, "answer_too_large", took);
            }
            if (status >= 300 && status < 400) {
                return AttemptResult.failed(status, "answered with a redirect (" + status + "); redirects are not followed",
                        "redirect", took);
            }
            return AttemptResult.answered(status, took);
        } catch (IOException | RuntimeException e) {
            long took = millisSince(started);
            return timedOut.get() ? timedOut(took) : failure(e, took);
        } finally {
            deadline.cancel(false);
        }
    }

    private String readCapped(HttpEntity entity) throws IOException {
        if (entity == null) {
            return null;
        }
        try (InputStream body = entity.getContent()) {
            byte[] buffer = new byte[8192];
            long total = 0;
            int read;
            while ((read = body.read(buffer)) != -1) {
                total += read;
                if (total > maxAnswerBytes) {
                    return "answered with a body over " + maxAnswerBytes + " bytes";
                }
            }
            return null;
        }
    }

    private AttemptResult timedOut(long took) {
        return AttemptResult.failed(null, "no answer within " + timeout.toMillis() + " ms", "timeout", took);
    }

    private static AttemptResult failure(Exception e, long took) {
        if (e instanceof RefusedAddressException refused) {
            return AttemptResult.failed(null, "refused: " + refused.getMessage(), "refused", took);
        }
        if (e instanceof UnknownHostException) {
            return AttemptResult.failed(null, "the callback host does not resolve", "dns", took);
        }
        if (e instanceof ConnectTimeoutException || e instanceof SocketTimeoutException) {
            return AttemptResult.failed(null, "timed out: " + e.getClass().getSimpleName(), "timeout", took);
        }
        if (e instanceof ConnectException) {
            return AttemptResult.failed(null, "connection refused", "connect", took);
        }
        if (e instanceof SSLException) {
            return AttemptResult.failed(null, "TLS failed: " + e.getClass().getSimpleName(), "tls", took);
        }
        if (e instanceof ClientProtocolException || e instanceof NoHttpResponseException
                || e.getCause() instanceof ProtocolException) {
            return AttemptResult.failed(null, "not a valid HTTP answer", "protocol", took);
        }
        return AttemptResult.failed(null, "I/O error: " + e.getClass().getSimpleName(), "io", took);
    }

    private static long millisSince(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    @Override
    public void close() throws IOException {
        client.close();
    }

    /** The client's name resolution: only addresses {@link TargetAddresses} allows, checked on every connection. */
    private static final class CheckedResolver implements DnsResolver {
        private final TargetAddresses addresses;

        CheckedResolver(TargetAddresses addresses) {
            this.addresses = addresses;
        }

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            return addresses.resolve(host);
        }

        @Override
        public String resolveCanonicalHostname(String host) {
            return host;
        }
    }
}
