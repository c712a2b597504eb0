package io.taskgate.audit.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Defense in depth: producers already keep secrets out of audit records, and the sink drops any
 * field whose name still says it holds one, at any depth, before the record is stored or hashed.
 * A name is split into words ({@code accessToken}, {@code access-token} and {@code ACCESS_TOKEN}
 * are all {@code access token}); it names a secret when a word is token, secret, password or
 * authorization, or it contains private key or api key. Whole words are matched so that counts
 * such as {@code max_tokens} stay.
 */
final class SecretKeys {
    private static final Set<String> SECRET_WORDS = Set.of("token", "secret", "password", "authorization",
            "privatekey", "apikey");
    private static final List<List<String>> SECRET_PHRASES = List.of(List.of("private", "key"), List.of("api", "key"));
    // Compiled once: the sink checks every field name of every record, and compiling per name was
    // the largest share of its CPU under load.
    private static final Pattern CAMEL_HUMP = Pattern.compile("([a-z0-9])([A-Z])");
    private static final Pattern NON_WORD = Pattern.compile("[^a-z0-9]+");

    private SecretKeys() {
    }

    static boolean namesSecret(String fieldName) {
        String spaced = CAMEL_HUMP.matcher(fieldName).replaceAll("$1 $2").toLowerCase(Locale.ROOT);
        List<String> words = Arrays.stream(NON_WORD.split(spaced)).filter(word -> !word.isEmpty()).toList();
        if (words.stream().anyMatch(SECRET_WORDS::contains)) {
            return true;
        }
        return SECRET_PHRASES.stream().anyMatch(phrase -> Collections.indexOfSubList(words, phrase) >= 0);
    }

    /** Removes every secret-named field under {@code node}, in place; returns the names removed. */
    static List<String> drop(JsonNode node) {
        List<String> dropped = new ArrayList<>();
        dropInto(node, dropped);
        return dropped;
    }

    private static void dropInto(JsonNode node, List<String> dropped) {
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.properties().forEach(field -> names.add(field.getKey()));
            for (String name : names) {
                if (namesSecret(name)) {
                    object.remove(name);
                    dropped.add(name);
                } else {
                    dropInto(object.get(name), dropped);
                }
            }
        } else if (node != null && node.isArray()) {
            node.forEach(element -> dropInto(element, dropped));
        }
    }
}
