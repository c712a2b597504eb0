package io.taskgate.launcher.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskgate.launcher.Taskgate;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BrokerCommandTest {

    @Test
    void shouldRefuseAPortOutOfRangeBeforeStartingAnything() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream previous = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = Taskgate.commandLine(Map.of()).execute("broker", "--port", "65536");
        } finally {
            System.setErr(previous);
        }
        assertEquals(2, exit);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--port: expected 0 to 65535, got 65536"), err.toString());
    }

    @Test
    void shouldDocumentItsPortAndReadyLine() {
        StringWriter usage = new StringWriter();
        Taskgate.commandLine(Map.of()).getSubcommands().get("broker").usage(new PrintWriter(usage));
        assertTrue(usage.toString().contains("--port"), usage.toString());
        assertTrue(usage.toString().contains("taskgate broker ready (kafka=HOST:PORT)"), usage.toString());
    }
}
