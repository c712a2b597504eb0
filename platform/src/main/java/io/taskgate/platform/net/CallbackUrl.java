package io.taskgate.platform.net;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * The shape a {@code callback_url} must have: absolute https (or http where allowed), with a host,
 * no credentials (they would end up in logs and the trail), and at most {@link #MAX_LENGTH}
 * characters. Where it may point is {@link TargetAddresses}' call.
 */
public final class CallbackUrl {
    public static final int MAX_LENGTH = 2048;

    private CallbackUrl() {
    }

    /** Why {@code url} is not an acceptable callback URL, or empty when it is. */
    public static Optional<String> problem(String url, boolean allowHttp) {
        if (url.length() > MAX_LENGTH) {
            return Optional.of("is longer than " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean allowedScheme = scheme.equals("https") || (allowHttp && scheme.equals("http"));
        if (!allowedScheme) {
            return Optional.of(allowHttp ? "must be an absolute http or https URL" : "must be an absolute https URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return Optional.of("must name a host");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("must not carry credentials");
        }
        return Optional.empty();
    }
}
