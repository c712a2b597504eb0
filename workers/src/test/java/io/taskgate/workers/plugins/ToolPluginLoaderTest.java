package io.taskgate.workers.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskgate.platform.config.ConfigException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loader's refusals; loading a real plug-in jar is shown end to end in the launcher's ToolPluginIT. */
class ToolPluginLoaderTest {

    @Test
    void shouldLoadNothingFromAnEmptyDirectoryOrNone(@TempDir Path plugins) throws IOException {
        Files.writeString(plugins.resolve("README.txt"), "not a jar: skipped");
        try (ToolPluginLoader none = ToolPluginLoader.load(getClass().getClassLoader(), Optional.empty());
             ToolPluginLoader empty = ToolPluginLoader.load(getClass().getClassLoader(), Optional.of(plugins))) {
            assertEquals(List.of(), none.providers());
            assertEquals(List.of(), empty.providers());
        }
    }

    @Test
    void shouldStopOnAJarThatHoldsNoPlugin(@TempDir Path plugins) throws IOException {
        try (OutputStream out = Files.newOutputStream(plugins.resolve("library.jar"));
             JarOutputStream jar = new JarOutputStream(out, new Manifest())) {
            jar.flush();
        }

        ConfigException e = assertThrows(ConfigException.class,
                () -> ToolPluginLoader.load(getClass().getClassLoader(), Optional.of(plugins)));

        assertTrue(e.getMessage().startsWith("TASKGATE_TOOL_PLUGINS: library.jar holds no tool plug-in"), e.getMessage());
    }
}
