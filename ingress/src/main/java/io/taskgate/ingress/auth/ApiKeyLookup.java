package io.taskgate.ingress.auth;

import io.taskgate.schemas.identity.ApiKeyRecord;
import java.util.Optional;

/** Where authentication learns whether a presented API key is live. */
@FunctionalInterface
public interface ApiKeyLookup {
    /** Every API key starts so; access tokens (JWTs) and the admin token never do. */
    String KEY_PREFIX = "tgk_";

    /** The key's record when the presented key is a live API key. */
    Optional<ApiKeyRecord> authenticate(String presentedKey);

    static boolean looksLikeKey(String bearer) {
        return bearer.startsWith(KEY_PREFIX);
    }
}
