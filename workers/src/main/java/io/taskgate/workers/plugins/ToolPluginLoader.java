package io.taskgate.workers.plugins;

import io.taskgate.platform.config.ConfigException;
import io.taskgate.platform.config.Setting;
import io.taskgate.tool.api.ToolProvider;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the {@link ToolProvider}s of one worker with {@link ServiceLoader}: those on the worker's
 * own class path, and those in the plug-in directory. There each jar, or each sub-directory of
 * jars (a plug-in with its libraries beside it, as in Kafka Connect's {@code plugin.path}), gets
 * its own class loader whose parent is the worker's, so plug-ins share Taskgate's classes and the
 * tool API but not each other's libraries. The loaders stay open while the worker runs.
 */
public final class ToolPluginLoader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ToolPluginLoader.class);

    private final List<LoadedProvider> providers;
    private final List<URLClassLoader> loaders;

    private ToolPluginLoader(List<LoadedProvider> providers, List<URLClassLoader> loaders) {
        this.providers = List.copyOf(providers);
        this.loaders = List.copyOf(loaders);
    }

    /**
     * @param parent    the worker's class loader: its providers are the class path plug-ins
     * @param directory the plug-in directory, if set
     * @throws ConfigException naming the jar whose provider cannot be loaded, or a jar with none
     */
    public static ToolPluginLoader load(ClassLoader parent, Optional<Path> directory) {
        List<LoadedProvider> providers = new ArrayList<>();
        List<URLClassLoader> loaders = new ArrayList<>();
        try {
            try {
                for (ServiceLoader.Provider<ToolProvider> found : ServiceLoader.load(ToolProvider.class, parent).stream().toList()) {
                    providers.add(instantiate(found, "class path (" + found.type().getName() + ")"));
                }
            } catch (ServiceConfigurationError e) {
                throw new ConfigException("tool plug-in on the class path: " + e.getMessage());
            }
            if (directory.isPresent()) {
                for (Path plugin : plugins(directory.get())) {
                    URLClassLoader loader = new URLClassLoader("plugin-" + plugin.getFileName(), urls(plugin), parent);
                    loaders.add(loader);
                    List<LoadedProvider> own = ownProviders(loader, plugin.getFileName().toString());
                    if (own.isEmpty()) {
                        throw new ConfigException(Setting.TOOL_PLUGINS, plugin.getFileName() + " holds no tool plug-in (no "
                                + "META-INF/services/" + ToolProvider.class.getName() + " naming a class in it)");
                    }
                    providers.addAll(own);
                }
            }
        } catch (RuntimeException e) {
            new ToolPluginLoader(providers, loaders).close();
            throw e;
        }
        providers.forEach(loaded -> LOG.info("tool plug-in {} loaded from {}", loaded.provider().getClass().getName(), loaded.origin()));
        return new ToolPluginLoader(providers, loaders);
    }

    public List<LoadedProvider> providers() {
        return providers;
    }

    /** The providers whose class this loader defines: its parent's, on the class path, are listed once already. */
    private static List<LoadedProvider> ownProviders(URLClassLoader loader, String origin) {
        List<LoadedProvider> own = new ArrayList<>();
        try {
            for (ServiceLoader.Provider<ToolProvider> found : ServiceLoader.load(ToolProvider.class, loader).stream().toList()) {
                if (found.type().getClassLoader() == loader) {
                    own.add(instantiate(found, origin));
                }
            }
        } catch (ServiceConfigurationError e) {
            throw new ConfigException(Setting.TOOL_PLUGINS, origin + ": " + e.getMessage());
        }
        return own;
    }

    private static LoadedProvider instantiate(ServiceLoader.Provider<ToolProvider> found, String origin) {
        try {
            return new LoadedProvider(found.get(), origin);
        } catch (ServiceConfigurationError e) {
            throw new ConfigException("tool plug-in " + origin + " could not be created: " + e.getMessage());
        }
    }

    /** The jars and the directories of jars in the plug-in directory, in name order so every start loads them alike. */
    private static List<Path> plugins(Path directory) {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(entry -> Files.isDirectory(entry) || isJar(entry)).sorted().toList();
        } catch (IOException e) {
            throw new ConfigException(Setting.TOOL_PLUGINS, "cannot list " + directory + ": " + e.getMessage());
        }
    }

    private static URL[] urls(Path plugin) {
        List<Path> jars;
        if (Files.isDirectory(plugin)) {
            try (Stream<Path> entries = Files.list(plugin)) {
                jars = entries.filter(ToolPluginLoader::isJar).sorted().toList();
            } catch (IOException e) {
                throw new ConfigException(Setting.TOOL_PLUGINS, "cannot list " + plugin + ": " + e.getMessage());
            }
        } else {
            jars = List.of(plugin);
        }
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = jars.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new ConfigException(Setting.TOOL_PLUGINS, "cannot read " + jars.get(i) + ": " + e.getMessage());
            }
        }
        return urls;
    }

    private static boolean isJar(Path entry) {
        return Files.isRegularFile(entry) && entry.getFileName().toString().endsWith(".jar");
    }

    /** Closes every provider, then the class loaders their classes came from. */
    @Override
    public void close() {
        for (LoadedProvider loaded : providers) {
            try {
                loaded.provider().close();
            } catch (RuntimeException e) {
                LOG.warn("tool plug-in {} did not close cleanly: {}", loaded.origin(), e.toString());
            }
        }
        for (URLClassLoader loader : loaders) {
            try {
                loader.close();
            } catch (IOException e) {
                LOG.warn("class loader {} did not close cleanly: {}", loader.getName(), e.toString());
            }
        }
    }
}
