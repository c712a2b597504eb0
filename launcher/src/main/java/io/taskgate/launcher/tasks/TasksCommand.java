package io.taskgate.launcher.tasks;

import io.taskgate.platform.config.ConfigException;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code taskgate tasks ...}: the task admin API from a terminal, against {@code TASKGATE_URL} with {@code TASKGATE_ADMIN_TOKEN}. */
@Command(name = "tasks", mixinStandardHelpOptions = true, description = "Tasks, through the admin API.",
        subcommands = TasksCommand.Redeliver.class)
public final class TasksCommand implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    @Command(name = "redeliver", mixinStandardHelpOptions = true,
            description = "Send a task's webhook again (a new round of the retry schedule, the same webhook-id).")
    public static final class Redeliver implements Callable<Integer> {
        private static final Duration TIMEOUT = Duration.ofSeconds(15);

        @Parameters(index = "0", paramLabel = "ID", description = "the task id")
        String taskId;

        @Override
        public Integer call() {
            ConfigSource config;
            String adminToken;
            try {
                config = ConfigSource.load(System.getenv());
                adminToken = config.required(Setting.ADMIN_TOKEN);
            } catch (ConfigException e) {
                System.err.println("taskgate tasks redeliver: " + e.getMessage());
                return 2;
            }
            return redeliver(config.uri(Setting.URL), adminToken, taskId);
        }

        /** Exit 0 when the redelivery was accepted, 1 with the gateway's answer otherwise. */
        public static int redeliver(URI base, String adminToken, String taskId) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
            HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/tasks/" + encode(taskId) + "/redeliver"))
                    .timeout(TIMEOUT)
                    .header("Authorization", "Bearer " + adminToken)
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build();
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 202) {
                    System.out.println("redelivery of " + taskId + " requested");
                    return 0;
                }
                System.err.println("taskgate tasks redeliver: " + response.statusCode() + " " + response.body());
                return 1;
            } catch (IOException e) {
                System.err.println("taskgate tasks redeliver: cannot reach " + base + ": " + e.getMessage());
                return 1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
        }

        private static String encode(String segment) {
            return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
        }
    }
}
