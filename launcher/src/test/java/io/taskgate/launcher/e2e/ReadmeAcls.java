package io.taskgate.launcher.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACL table of the README's "ACLs each service needs", turned into bindings for one user, so
 * the secured-cluster test grants exactly what the README tells operators to grant.
 */
final class ReadmeAcls {
    private static final String HEADING = "### ACLs each service needs";
    private static final String EVERY_SERVICE = "every service";

    private final List<String[]> rows;

    private ReadmeAcls(List<String[]> rows) {
        this.rows = rows;
    }

    /** The README at the root of the repository (the launcher module's parent directory). */
    static ReadmeAcls fromRepository() {
        Path readme = Path.of("..", "README.md");
        try {
            return parse(Files.readAllLines(readme));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + readme.toAbsolutePath(), e);
        }
    }

    static ReadmeAcls parse(List<String> lines) {
        int start = lines.indexOf(HEADING);
        if (start < 0) {
            throw new IllegalStateException("README has no section '" + HEADING + "'");
        }
        List<String[]> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("|")) {
                inTable = true;
                String[] cells = line.substring(1, line.length() - 1).split("\\|");
                if (cells.length == 5 && !cells[0].isBlank() && !cells[0].trim().equals("service") && !cells[0].startsWith("---")) {
                    for (int i = 0; i < cells.length; i++) {
                        cells[i] = cells[i].trim().replace("`", "");
                    }
                    rows.add(cells);
                }
            } else if (inTable) {
                break;
            }
        }
        if (rows.isEmpty()) {
            throw new IllegalStateException("README's '" + HEADING + "' has no ACL table");
        }
        return new ReadmeAcls(rows);
    }

    /** The bindings the table gives {@code service}, for principal {@code User:<user>}, with {@code <pool>} filled in. */
    List<AclBinding> forService(String service, String user, String pool) {
        List<AclBinding> bindings = new ArrayList<>();
        for (String[] row : rows) {
            if (!row[0].equals(service) && !row[0].equals(EVERY_SERVICE)) {
                continue;
            }
            ResourcePattern pattern = new ResourcePattern(resourceType(row[1]), row[3].replace("<pool>", pool),
                    PatternType.valueOf(row[2].toUpperCase(Locale.ROOT)));
            for (String operation : row[4].split(",")) {
                bindings.add(new AclBinding(pattern, new AccessControlEntry("User:" + user, "*",
                        AclOperation.valueOf(operation.trim()), AclPermissionType.ALLOW)));
            }
        }
        if (bindings.isEmpty()) {
            throw new IllegalStateException("README lists no ACL for " + service);
        }
        return bindings;
    }

    private static ResourceType resourceType(String cell) {
        return ResourceType.valueOf(cell.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
