package io.taskgate.workers.tools.http;

import java.util.Optional;

/** What http_fetch's client received: status, the headers it needs, and the body up to its cap. */
record FetchResponse(int status, Optional<String> contentType, Optional<String> location, Optional<String> retryAfter,
                     byte[] body, boolean truncated) {
}
