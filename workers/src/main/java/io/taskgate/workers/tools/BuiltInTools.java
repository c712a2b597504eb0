package io.taskgate.workers.tools;

import io.taskgate.platform.secrets.ToolSecrets;
import io.taskgate.schemas.tools.ToolCatalog;
import io.taskgate.tool.api.Tool;
import io.taskgate.workers.WorkerConfig;
import io.taskgate.workers.resilience.ToolPolicy;
import io.taskgate.workers.tools.email.EmailSendTool;
import io.taskgate.workers.tools.http.FetchClient;
import io.taskgate.workers.tools.http.HttpFetchTool;
import io.taskgate.workers.tools.http.TargetGuard;
import io.taskgate.workers.tools.openai.OpenAiChatTool;
import io.taskgate.workers.tools.outside.JsonApi;
import io.taskgate.workers.tools.route.RouteTool;
import io.taskgate.workers.tools.serpapi.SerpApiSearchTool;
import io.taskgate.workers.tools.settings.ToolSettingsTable;
import io.taskgate.workers.tools.state.StateTool;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The tools every worker offers and their retry, breaker and timeout policies, with the settings
 * of {@code tools:} applied over the defaults. An LLM answer takes far longer than a web page, so
 * {@code openai.chat} waits a minute by default rather than the HTTP timeout.
 */
public final class BuiltInTools {
    static final Duration ECHO_TIMEOUT = Duration.ofSeconds(5);
    static final Duration SLEEP_TIMEOUT_MARGIN = Duration.ofSeconds(5);
    static final Duration OPENAI_TIMEOUT = Duration.ofSeconds(60);
    static final Duration EMAIL_TIMEOUT = Duration.ofSeconds(30);
    /** A state write waits for the state processor and this worker's copy of the state: seconds at most. */
    public static final Duration STATE_WRITE_TIMEOUT = Duration.ofSeconds(10);

    private BuiltInTools() {
    }

    /**
     * @param resolvers where the address guard's blocking name lookups run
     * @param mail      where the blocking SMTP sessions run
     * @param fetch     http_fetch's client, made with {@link #httpFetchTimeout}
     * @param state     the state tool, which needs the worker's Kafka clients
     */
    public static ToolRegistry create(WorkerConfig config, OutsideToolsConfig outside, ToolSecrets secrets, TargetGuard guard,
                                      ScheduledExecutorService scheduler, Executor resolvers, Executor mail, FetchClient fetch,
                                      Tool state, Clock clock) {
        ToolSettingsTable settings = outside.tools();
        Duration routeTimeout = timeout(settings, RouteTool.NAME, config.httpTimeout());
        Duration serpTimeout = timeout(settings, SerpApiSearchTool.NAME, config.httpTimeout());
        Duration openAiTimeout = timeout(settings, OpenAiChatTool.NAME, OPENAI_TIMEOUT);
        ToolRegistry tools = new ToolRegistry(List.of(
                new EchoTool(),
                new SleepTool(scheduler),
                new HttpFetchTool(fetch, guard, resolvers, clock),
                new SerpApiSearchTool(
                        new JsonApi("serpapi.search", JsonApi.newClient(serpTimeout), guard, resolvers, serpTimeout, clock),
                        outside.serpApi(), secrets.get(SerpApiSearchTool.SECRET)),
                new OpenAiChatTool(
                        new JsonApi("openai.chat", JsonApi.newClient(openAiTimeout), guard, resolvers, openAiTimeout, clock),
                        outside.openAi(), secrets.get(OpenAiChatTool.SECRET)),
                new EmailSendTool(outside.smtp(), secrets.get(EmailSendTool.SECRET), guard, mail,
                        timeout(settings, EmailSendTool.NAME, EMAIL_TIMEOUT)),
                new RouteTool(new JsonApi("route", JsonApi.newClient(routeTimeout), guard, resolvers, routeTimeout, clock),
                        JsonApi.newClient(routeTimeout), guard, resolvers, routeTimeout, secrets, config.region(), clock),
                state));
        // Ingress accepts the catalog's names before any worker announces them, so every worker must run all of
        // them; a built-in missing from the catalog is a tool added without listing it. Plug-ins come on top.
        ToolCatalog.builtIn().requireImplementedExactlyBy(tools.taskNames());
        return tools;
    }

    public static List<ToolPolicy> policies(WorkerConfig config, ToolSettingsTable settings) {
        return List.of(
                settings.of(EchoTool.NAME).policy(EchoTool.NAME, ECHO_TIMEOUT),
                // A sleep may last up to its maximum; the timeout is only a backstop.
                settings.of(SleepTool.NAME).policy(SleepTool.NAME, SleepTool.MAX_SLEEP.plus(SLEEP_TIMEOUT_MARGIN)),
                settings.of(HttpFetchTool.NAME).policy(HttpFetchTool.NAME, config.httpTimeout()),
                settings.of(SerpApiSearchTool.NAME).policy(SerpApiSearchTool.NAME, config.httpTimeout()),
                settings.of(OpenAiChatTool.NAME).policy(OpenAiChatTool.NAME, OPENAI_TIMEOUT),
                settings.of(EmailSendTool.NAME).policy(EmailSendTool.NAME, EMAIL_TIMEOUT),
                settings.of(RouteTool.NAME).policy(RouteTool.NAME, config.httpTimeout()),
                // A state write waits for the state processor and the worker's own copy; past that it is retried.
                settings.of(StateTool.NAME).policy(StateTool.NAME, STATE_WRITE_TIMEOUT.plusSeconds(1)));
    }

    /** How long http_fetch's client waits to connect and for each read: the tool's timeout, or TASKGATE_HTTP_TIMEOUT_MS. */
    public static Duration httpFetchTimeout(WorkerConfig config, ToolSettingsTable settings) {
        return timeout(settings, HttpFetchTool.NAME, config.httpTimeout());
    }

    private static Duration timeout(ToolSettingsTable settings, String tool, Duration fallback) {
        return settings.of(tool).timeout().orElse(fallback);
    }
}
