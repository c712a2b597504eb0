package io.taskgate.audit.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.taskgate.audit.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The store contract on PostgreSQL at 127.0.0.1:5432 (user postgres, database test); skipped when it is not there. */
class PostgresAuditStoreTest extends AuditStoreContract {
    private String schema;
    private String url;

    @BeforeAll
    static void requirePostgres() {
        assumeTrue(TestPostgres.reachable(), "PostgreSQL is not reachable at 127.0.0.1:5432");
    }

    @Override
    String jdbcUrl() {
        if (url == null) {
            schema = TestPostgres.randomSchemaName();
            url = TestPostgres.newSchema(schema);
        }
        return url;
    }

    @AfterEach
    void dropSchema() {
        store.close();
        TestPostgres.dropSchema(schema);
    }
}
