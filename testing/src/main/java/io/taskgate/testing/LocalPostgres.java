package io.taskgate.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The PostgreSQL server these machines and CI run at 127.0.0.1:5432 (user postgres, trust auth,
 * database test). Each test gets a schema of its own. On a laptop without the server the test is
 * skipped; under CI (CI=true) a missing server fails it, so CI never passes without running it.
 * The user's module brings the JDBC driver.
 */
public final class LocalPostgres {
    public static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&connectTimeout=2";

    private LocalPostgres() {
    }

    public static void require() {
        String problem;
        try (Connection connection = DriverManager.getConnection(SERVER)) {
            problem = connection.isValid(2) ? null : "connection not valid";
        } catch (SQLException e) {
            problem = e.getMessage();
        }
        if (problem != null && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("PostgreSQL must be reachable at 127.0.0.1:5432 under CI: " + problem);
        }
        assumeTrue(problem == null, "PostgreSQL is not reachable at 127.0.0.1:5432: " + problem);
    }

    /** A new empty schema, and the JDBC URL whose tables land in it. */
    public static String freshSchemaUrl(String schema) {
        run("CREATE SCHEMA " + schema);
        return SERVER + "&currentSchema=" + schema;
    }

    public static String newSchemaName(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "");
    }

    public static void dropSchema(String schema) {
        run("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    public static void run(String sql) {
        try (Connection connection = DriverManager.getConnection(SERVER); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
