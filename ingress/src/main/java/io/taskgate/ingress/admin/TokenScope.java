package io.taskgate.ingress.admin;

import io.taskgate.ingress.auth.Principal;
import io.taskgate.ingress.http.ApiException;
import io.taskgate.schemas.errors.ErrorCode;
import java.util.List;
import java.util.Optional;

/** A token's scope is never wider than its agent's: what is asked for must be granted. */
final class TokenScope {
    private TokenScope() {
    }

    /**
     * The requested entries when the agent holds every one of them (or {@code *}), the agent's own
     * when none were requested; 403 naming the first entry the agent lacks.
     */
    static List<String> narrow(Optional<List<String>> requested, List<String> granted, String field) {
        if (requested.isEmpty()) {
            return granted;
        }
        List<String> asked = requested.get();
        if (asked.isEmpty()) {
            throw RequestFields.bad(field + " must name at least one entry; leave it out for the agent's own");
        }
        if (granted.contains(Principal.ANY)) {
            return asked;
        }
        for (String entry : asked) {
            if (!granted.contains(entry)) {
                throw new ApiException(ErrorCode.FORBIDDEN, "the agent is not granted " + field + " '" + entry + "'");
            }
        }
        return asked;
    }
}
