package io.taskgate.workers.tools.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer;

/**
 * Reads a response body up to a cap, then stops the exchange: a huge or endless response costs at
 * most the cap in memory, and the answer says it was cut. Used by one exchange only.
 */
final class CappedResponseConsumer extends AbstractBinResponseConsumer<FetchResponse> {
    private static final int CHUNK = 64 * 1024;

    private final int cap;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private volatile HttpResponse head;
    private volatile FetchResponse truncated;

    CappedResponseConsumer(int cap) {
        this.cap = cap;
    }

    /** The answer cut at the cap, once the cap was reached. */
    Optional<FetchResponse> truncated() {
        return Optional.ofNullable(truncated);
    }

    @Override
    protected void start(HttpResponse response, ContentType contentType) {
        this.head = response;
    }

    @Override
    protected int capacityIncrement() {
        return CHUNK;
    }

    @Override
    protected void data(ByteBuffer data, boolean endOfStream) throws IOException {
        int room = cap - body.size();
        int take = Math.min(room, data.remaining());
        byte[] chunk = new byte[take];
        data.get(chunk);
        body.write(chunk, 0, take);
        if (data.hasRemaining()) {
            truncated = response(true);
            throw new IOException("response body over " + cap + " bytes; the rest is not read");
        }
    }

    @Override
    protected FetchResponse buildResult() {
        return response(false);
    }

    @Override
    public void releaseResources() {
        // Nothing beyond the buffer, which the answer owns.
    }

    private FetchResponse response(boolean cut) {
        return new FetchResponse(head.getCode(), header("Content-Type"), header("Location"), header("Retry-After"),
                body.toByteArray(), cut);
    }

    private Optional<String> header(String name) {
        Header header = head.getFirstHeader(name);
        return header == null ? Optional.empty() : Optional.of(header.getValue());
    }
}
