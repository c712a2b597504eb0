package io.taskgate.policy.decision;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.errors.ErrorDetail;
import io.taskgate.schemas.policy.TaskRule;
import io.taskgate.schemas.tasks.TaskMessage;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/** The checks of a task rule that need no state: which agents may run it, which hosts it may reach. */
final class AccessRules {

    private AccessRules() {
    }

    /** POLICY_DENIED when the rule names its agents and this task's agent is neither by name nor by id. */
    static Optional<ErrorDetail> agentDenied(TaskRule rule, TaskMessage task) {
        if (rule.allowedAgents().isEmpty()
                || rule.allowedAgents().contains(task.agentName()) || rule.allowedAgents().contains(task.agentId())) {
            return Optional.empty();
        }
        String who = task.agentName() != null ? task.agentName() : task.agentId() != null ? task.agentId() : "an anonymous caller";
        return Optional.of(ErrorDetail.of(ErrorCode.POLICY_DENIED,
                "policy does not allow " + who + " to run " + task.name()));
    }

    /**
     * DOMAIN_BLOCKED when the host of {@code input.url} is on the rule's blocked list, exactly or
     * under a {@code *.corp} wildcard. A url whose host cannot be told is blocked too, when the
     * rule blocks anything: a check that can be dodged by a malformed URL would block nothing.
     */
    static Optional<ErrorDetail> domainBlocked(TaskRule rule, TaskMessage task) {
        JsonNode url = task.input() == null ? null : task.input().get("url");
        if (rule.blockedDomains().isEmpty() || url == null || url.isNull()) {
            return Optional.empty();
        }
        Optional<String> host = url.isTextual() ? hostOf(url.asText()) : Optional.empty();
        if (host.isEmpty()) {
            return Optional.of(ErrorDetail.of(ErrorCode.DOMAIN_BLOCKED,
                    "input.url has no host policy can check, and " + task.name() + " has blocked domains"));
        }
        return rule.blockedDomains().stream()
                .filter(blocked -> matches(blocked, host.get()))
                .findFirst()
                .map(blocked -> ErrorDetail.of(ErrorCode.DOMAIN_BLOCKED,
                        "host " + host.get() + " of input.url is blocked for " + task.name()));
    }

    static boolean matches(String blocked, String host) {
        return blocked.startsWith("*.") ? host.endsWith(blocked.substring(1)) : host.equals(blocked);
    }

    /** The host in lower case without a trailing dot or IPv6 brackets, also for hosts java.net.URI will not name. */
    static Optional<String> hostOf(String url) {
        String host;
        try {
            URI uri = new URI(url.trim());
            host = uri.getHost() != null ? uri.getHost() : hostOfAuthority(uri.getRawAuthority());
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        if (host == null) {
            return Optional.empty();
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        while (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        return host.isEmpty() ? Optional.empty() : Optional.of(host);
    }

    private static String hostOfAuthority(String authority) {
        if (authority == null) {
            return null;
        }
        String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
        int colon = hostPort.lastIndexOf(':');
        return colon > hostPort.lastIndexOf(']') ? hostPort.substring(0, colon) : hostPort;
    }
}
