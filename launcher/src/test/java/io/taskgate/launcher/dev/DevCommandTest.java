package io.taskgate.launcher.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskgate.platform.config.ConfigException;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DevCommandTest {
    private static final String URL = "jdbc:postgresql://db.internal:5432/taskgate?user=taskgate";

    private static DevCommand parsed(String... args) {
        DevCommand command = new DevCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void shouldRunTheAuditSinkOnPostgresWhenGivenItsUrl() {
        ConfigSource config = parsed("--postgres", URL).withOptions(ConfigSource.of(Map.of(Setting.AUDIT_JDBC_URL, "jdbc:sqlite:x.db")));
        assertEquals(URL, config.string(Setting.AUDIT_JDBC_URL));
    }

    @Test
    void shouldKeepTheConfiguredAuditDatabaseWithoutTheOption() {
        ConfigSource config = parsed().withOptions(ConfigSource.of(Map.of()));
        assertFalse(config.isSet(Setting.AUDIT_JDBC_URL));
    }

    @Test
    void shouldRefuseAUrlThatIsNotPostgres() {
        ConfigException error = assertThrows(ConfigException.class,
                () -> parsed("--postgres", "jdbc:sqlite:audit.db").withOptions(ConfigSource.of(Map.of())));
        assertTrue(error.getMessage().startsWith("--postgres: must be a JDBC URL starting with jdbc:postgresql:"), error.getMessage());
    }
}
