package io.taskgate.launcher.admin;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** An id typed by a person, made safe to put in a URL path: it can never reach another endpoint. */
final class PathSegment {
    private PathSegment() {
    }

    static String of(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
