package io.taskgate.audit.store;

import io.taskgate.testing.LocalPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The store contract on PostgreSQL at 127.0.0.1:5432 (user postgres, database test). Skipped on a
 * machine without that server, but failed under CI (CI=true), which runs it: CI never passes without it.
 */
class PostgresAuditStoreTest extends AuditStoreContract {
    private String schema;
    private String url;

    @BeforeAll
    static void requirePostgres() {
        LocalPostgres.require();
    }

    @Override
    String jdbcUrl() {
        if (url == null) {
            schema = LocalPostgres.newSchemaName("audit_test");
            url = LocalPostgres.freshSchemaUrl(schema);
        }
        return url;
    }

    @AfterEach
    void dropSchema() {
        store.close();
        LocalPostgres.dropSchema(schema);
    }
}
