package io.taskgate.workers.tools.http;

import java.util.List;
import java.util.Locale;

/**
 * The policy's {@code blocked_domains} for one task, as policy-stream attached them when it let the
 * task through: policy checked the first URL, this checks every redirect hop, so a public page
 * cannot redirect a fetch into a blocked domain. Entries are exact hosts or {@code *.suffix}.
 */
record BlockedDomains(List<String> domains) {

    BlockedDomains {
        domains = domains == null ? List.of() : List.copyOf(domains);
    }

    boolean blocks(String host) {
        String normal = normalize(host);
        return domains.stream().anyMatch(blocked -> blocked.startsWith("*.")
                ? normal.endsWith(blocked.substring(1).toLowerCase(Locale.ROOT))
                : normal.equals(blocked.toLowerCase(Locale.ROOT)));
    }

    private static String normalize(String host) {
        String normal = host.toLowerCase(Locale.ROOT);
        if (normal.startsWith("[") && normal.endsWith("]")) {
            normal = normal.substring(1, normal.length() - 1);
        }
        while (normal.endsWith(".")) {
            normal = normal.substring(0, normal.length() - 1);
        }
        return normal;
    }
}
