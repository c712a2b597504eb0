package io.taskgate.audit.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The store contract on PostgreSQL at 127.0.0.1:5432 (user postgres, database test); skipped when it is not there. */
class PostgresAuditStoreTest extends AuditStoreContract {
    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&connectTimeout=2";

    private String schema;

    @BeforeAll
    static void requirePostgres() {
        boolean reachable;
        try (Connection connection = DriverManager.getConnection(SERVER)) {
            reachable = connection.isValid(2);
        } catch (SQLException e) {
            reachable = false;
        }
        assumeTrue(reachable, "PostgreSQL is not reachable at 127.0.0.1:5432");
    }

    @Override
    String jdbcUrl() {
        if (schema == null) {
            schema = "audit_test_" + UUID.randomUUID().toString().replace("-", "");
            run("CREATE SCHEMA " + schema);
        }
        return SERVER + "&currentSchema=" + schema;
    }

    @AfterEach
    void dropSchema() {
        store.close();
        run("DROP SCHEMA " + schema + " CASCADE");
    }

    private static void run(String sql) {
        try (Connection connection = DriverManager.getConnection(SERVER); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
