package io.taskgate.schemas.policy;

import java.util.List;

/**
 * The edge's part of the policy: which client addresses may connect (CIDRs, exact addresses or
 * {@code 192.168.*} wildcards; empty allows all) and the per-client-IP flood limit.
 */
public record IngressRules(List<String> ipAllowlist, RateLimit perIpRateLimit) {

    public IngressRules {
        ipAllowlist = ipAllowlist == null ? List.of() : List.copyOf(ipAllowlist);
    }
}
