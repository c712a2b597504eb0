package io.taskgate.ingress.http;

import io.taskgate.schemas.policy.RateLimit;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import java.util.regex.Pattern;

/**
 * The IETF {@code RateLimit-Policy} and {@code RateLimit} response headers
 * (draft-ietf-httpapi-ratelimit-headers, structured-field syntax): {@code "per-ip";q=6000;w=60}
 * names a quota of 6000 requests per 60 s window, and {@code "per-ip";r=0;t=12} says none remain and
 * the window has room again in 12 s. Set only where the limit that applied is known.
 */
public final class RateLimitHeaders {
    public static final HttpString POLICY = new HttpString("RateLimit-Policy");
    public static final HttpString STATE = new HttpString("RateLimit");
    /** A policy name is a structured-field string: printable ASCII without quote or backslash. */
    private static final Pattern UNSAFE = Pattern.compile("[^\\x20-\\x7e]|[\"\\\\]");

    private RateLimitHeaders() {
    }

    /** {@code RateLimit-Policy} for {@code limit}, under the name {@code policy}. */
    public static void policy(HttpServerExchange exchange, String policy, RateLimit limit) {
        exchange.getResponseHeaders().put(POLICY, policyValue(policy, limit));
    }

    /** Both headers: the policy and what is left of it, {@code remaining} requests, room again in {@code resetSeconds}. */
    public static void state(HttpServerExchange exchange, String policy, RateLimit limit, long remaining, long resetSeconds) {
        policy(exchange, policy, limit);
        exchange.getResponseHeaders().put(STATE, stateValue(policy, remaining, resetSeconds));
    }

    public static String policyValue(String policy, RateLimit limit) {
        return quoted(policy) + ";q=" + limit.limit() + ";w=" + Math.max(1, limit.window().toSeconds());
    }

    public static String stateValue(String policy, long remaining, long resetSeconds) {
        return quoted(policy) + ";r=" + Math.max(0, remaining) + ";t=" + Math.max(0, resetSeconds);
    }

    private static String quoted(String name) {
        return "\"" + UNSAFE.matcher(name).replaceAll("_") + "\"";
    }
}
