package io.taskgate.audit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** The PostgreSQL server at 127.0.0.1:5432 (user postgres, database test), one fresh schema per test. */
public final class TestPostgres {
    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&connectTimeout=2";

    private TestPostgres() {
    }

    public static boolean reachable() {
        try (Connection connection = DriverManager.getConnection(SERVER)) {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Creates an empty schema and returns the URL of a database that uses it. */
    public static String newSchema(String schema) {
        run("CREATE SCHEMA " + schema);
        return SERVER + "&currentSchema=" + schema;
    }

    public static String randomSchemaName() {
        return "audit_test_" + UUID.randomUUID().toString().replace("-", "");
    }

    public static void dropSchema(String schema) {
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
