package io.taskgate.schemas.policy;

/**
 * The edge's part of the policy: which client addresses may connect (see {@link IpAllowlist};
 * empty allows all) and the per-client-IP flood limit.
 */
public record IngressRules(IpAllowlist ipAllowlist, RateLimit perIpRateLimit) {

    public IngressRules {
        ipAllowlist = ipAllowlist == null ? IpAllowlist.everyone() : ipAllowlist;
    }
}
