package io.taskgate.audit.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;

/**
 * Opens connections to the audit database, SQLite or PostgreSQL, with the settings each needs.
 * SQLite runs in WAL mode (queries never block the writer), waits for a lock instead of failing
 * at once, syncs every commit, and starts write transactions IMMEDIATE so that reading the chain
 * head and appending after it happen under one write lock.
 */
final class Database {
    private static final String SQLITE_PREFIX = "jdbc:sqlite:";
    private static final String POSTGRES_PREFIX = "jdbc:postgresql:";

    private final String url;
    private final boolean postgres;

    private Database(String url, boolean postgres) {
        this.url = url;
        this.postgres = postgres;
    }

    static Database forUrl(String url) {
        if (url.startsWith(SQLITE_PREFIX)) {
            return new Database(url, false);
        }
        if (url.startsWith(POSTGRES_PREFIX)) {
            return new Database(url, true);
        }
        throw new AuditStoreException("unsupported audit database URL; use jdbc:sqlite:<file> or jdbc:postgresql://...");
    }

    /**
     * Makes the database usable: for a SQLite file, its directory (sqlite creates the file, not
     * the directories above it); then the tables, when they do not exist yet.
     */
    void prepare() {
        sqliteFile().ifPresent(Database::createDirectoryOf);
        try (Connection connection = openWriter()) {
            Schema.ensure(connection);
        } catch (SQLException e) {
            throw new AuditStoreException("cannot open the audit database: " + e.getMessage(), e);
        }
    }

    private Optional<Path> sqliteFile() {
        if (postgres) {
            return Optional.empty();
        }
        String file = url.substring(SQLITE_PREFIX.length()).split("\\?", 2)[0];
        if (file.isEmpty() || file.startsWith(":memory:") || file.startsWith("file:")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(file).toAbsolutePath());
    }

    private static void createDirectoryOf(Path file) {
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new AuditStoreException("cannot create directory " + file.getParent() + " for the audit database: "
                    + e.getMessage(), e);
        }
    }

    boolean postgres() {
        return postgres;
    }

    /** A connection for the one writer; its transactions begin IMMEDIATE on SQLite. */
    Connection openWriter() throws SQLException {
        return open(true);
    }

    /** A connection for queries and verification. */
    Connection openReader() throws SQLException {
        return open(false);
    }

    private Connection open(boolean writer) throws SQLException {
        Properties properties = new Properties();
        if (postgres) {
            // Defaults only: parameters in the URL win. A dead server must not hang the consumer forever.
            properties.setProperty("connectTimeout", "10");
            properties.setProperty("socketTimeout", "60");
            properties.setProperty("ApplicationName", "taskgate-audit-sink");
        } else {
            properties.setProperty("journal_mode", "WAL");
            properties.setProperty("busy_timeout", "10000");
            properties.setProperty("synchronous", "FULL");
            properties.setProperty("transaction_mode", writer ? "IMMEDIATE" : "DEFERRED");
        }
        return DriverManager.getConnection(url, properties);
    }
}
