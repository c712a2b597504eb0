package io.taskgate.ingress.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counts since this instance started, for {@code GET /api/stats}. */
public final class IngressStats {
    private final LongAdder totalRequests = new LongAdder();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder rateLimited = new LongAdder();
    private final LongAdder blocked = new LongAdder();
    private final LongAdder unauthorized = new LongAdder();
    private final LongAdder unavailable = new LongAdder();

    public void request() {
        totalRequests.increment();
    }

    public void accepted() {
        accepted.increment();
    }

    /** A task policy denied; rate-limited and domain-blocked ones are counted apart as well. */
    public void rejected() {
        rejected.increment();
    }

    public void rateLimited() {
        rateLimited.increment();
    }

    public void blocked() {
        blocked.increment();
    }

    public void unauthorized() {
        unauthorized.increment();
    }

    public void unavailable() {
        unavailable.increment();
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("total_requests", totalRequests.sum());
        counts.put("accepted", accepted.sum());
        counts.put("rejected", rejected.sum());
        counts.put("rate_limited", rateLimited.sum());
        counts.put("blocked", blocked.sum());
        counts.put("unauthorized", unauthorized.sum());
        counts.put("unavailable", unavailable.sum());
        return counts;
    }
}
