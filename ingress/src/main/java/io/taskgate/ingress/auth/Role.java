package io.taskgate.ingress.auth;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The role of an API key, and the rights it carries. */
public enum Role {
    ADMIN(EnumSet.of(Right.MANAGE, Right.READ_ADMIN, Right.READ_AUDIT, Right.CANCEL_ANY_TASK)),
    OPERATOR(EnumSet.of(Right.READ_ADMIN, Right.READ_AUDIT, Right.CANCEL_ANY_TASK)),
    AUDITOR(EnumSet.of(Right.READ_AUDIT)),
    SERVICE(EnumSet.of(Right.CALL_INTERNAL));

    private final Set<Right> rights;

    Role(Set<Right> rights) {
        this.rights = Set.copyOf(rights);
    }

    public boolean has(Right right) {
        return rights.contains(right);
    }

    /** The name on the wire: {@code admin}, {@code operator}, {@code auditor}, {@code service}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> fromWireName(String name) {
        for (Role role : values()) {
            if (role.wireName().equals(name)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
