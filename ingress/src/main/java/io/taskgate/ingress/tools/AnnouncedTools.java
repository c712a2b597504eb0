package io.taskgate.ingress.tools;

import io.taskgate.platform.kafka.CompactedTopicView;
import io.taskgate.schemas.tools.KnownTasks;
import io.taskgate.schemas.tools.ToolAnnouncement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The task names ingress accepts: the built-in ones, which every worker runs, and those the
 * running workers announced on the {@code tools} topic (their plug-ins). A name is known while
 * at least one worker's announcement lists it; a worker that stops cleanly withdraws only its own.
 */
public final class AnnouncedTools implements KnownTasks, AutoCloseable {
    private final KnownTasks builtIn;
    private final CompactedTopicView<ToolAnnouncement> view;
    private final Map<String, Set<String>> byWorker = new HashMap<>();
    private volatile Set<String> announced = Set.of();

    public AnnouncedTools(KnownTasks builtIn, CompactedTopicView<ToolAnnouncement> view) {
        this.builtIn = builtIn;
        this.view = view;
        view.onChange(this::apply);
    }

    public void start() {
        view.start();
    }

    public boolean awaitCaughtUp(Duration timeout) {
        return view.awaitCaughtUp(timeout);
    }

    public boolean isCaughtUp() {
        return view.awaitCaughtUp(Duration.ZERO);
    }

    @Override
    public boolean contains(String taskName) {
        return builtIn.contains(taskName) || announced.contains(taskName);
    }

    @Override
    public Set<String> taskNames() {
        Set<String> all = new HashSet<>(builtIn.taskNames());
        all.addAll(announced);
        return Set.copyOf(all);
    }

    /** On the view's thread: one worker announced or withdrew; the union is rebuilt (there are few workers). */
    private synchronized void apply(String key, ToolAnnouncement announcement) {
        if (announcement == null) {
            byWorker.remove(key);
        } else {
            byWorker.put(key, Set.copyOf(announcement.taskNames()));
        }
        Set<String> union = new HashSet<>();
        byWorker.values().forEach(union::addAll);
        announced = Set.copyOf(union);
    }

    @Override
    public void close() {
        view.close();
    }
}
