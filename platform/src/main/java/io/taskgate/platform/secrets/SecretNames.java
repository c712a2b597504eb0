package io.taskgate.platform.secrets;

import java.util.Locale;
import java.util.regex.Pattern;

/** Tool secret names, such as {@code openai_api_key}, and the environment variable each one may come from. */
public final class SecretNames {
    public static final String ENV_PREFIX = "TASKGATE_SECRET_";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    private SecretNames() {
    }

    /** The name, lower-cased; an {@link IllegalArgumentException} saying what a name looks like otherwise. */
    public static String validate(String name) {
        String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (!NAME.matcher(lower).matches()) {
            throw new IllegalArgumentException(
                    "a secret name is a letter then letters, digits or '_' (at most 64), such as openai_api_key");
        }
        return lower;
    }

    /** {@code openai_api_key} comes from {@code TASKGATE_SECRET_OPENAI_API_KEY}. */
    public static String envName(String name) {
        return ENV_PREFIX + validate(name).toUpperCase(Locale.ROOT);
    }
}
