package io.taskgate.kafka.embedded;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a test adds to the embedded broker: more client listeners (a name and its security protocol,
 * e.g. {@code SECURED} over {@code SASL_SSL}), each on a free port of 127.0.0.1 next to the plaintext
 * one, and more server properties (the listeners' TLS and SASL settings, an authorizer, super users).
 * The plaintext and controller listeners stay: the broker and its controller talk over them.
 */
public final class ExtraListeners {
    private final Map<String, String> protocols = new LinkedHashMap<>();
    private final Map<String, String> settings = new LinkedHashMap<>();

    public static ExtraListeners none() {
        return new ExtraListeners();
    }

    /** A listener named {@code name} (upper case, as Kafka's listener names are) speaking {@code securityProtocol}. */
    public ExtraListeners listener(String name, String securityProtocol) {
        protocols.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(securityProtocol, "securityProtocol"));
        return this;
    }

    /** A broker property, set over the embedded broker's own. */
    public ExtraListeners setting(String name, String value) {
        settings.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return this;
    }

    Map<String, String> protocols() {
        return Map.copyOf(protocols);
    }

    Map<String, String> settings() {
        return Map.copyOf(settings);
    }
}
