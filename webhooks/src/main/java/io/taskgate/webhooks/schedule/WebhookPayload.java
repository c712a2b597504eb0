package io.taskgate.webhooks.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.taskgate.schemas.crypto.Sha256;
import io.taskgate.schemas.json.Json;
import io.taskgate.schemas.tasks.TaskEvent;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The body of a task's webhook, built once when the task ends and signed as is on every attempt:
 * {@code {"type": "task.<status>", "timestamp", "data": <the task view>}}. A body over the cap
 * leaves the result out ({@code "result_omitted": true}); the receiver reads it with a GET.
 */
final class WebhookPayload {

    private WebhookPayload() {
    }

    static String of(TaskEvent ended, int maxBytes) {
        String full = write(ended, true);
        return full.getBytes(StandardCharsets.UTF_8).length <= maxBytes ? full : write(ended, false);
    }

    /**
     * The same for every copy of one terminal event, so retries and replays carry one id; a task that
     * ends again (sent back from the dead-letter topic) is a new event with a new id.
     */
    static String webhookId(TaskEvent ended) {
        String digest = Sha256.hex(ended.taskId() + "|" + ended.event().wireName() + "|" + ended.at().toEpochMilli());
        return "msg_" + digest.substring(0, 32);
    }

    private static String write(TaskEvent ended, boolean withResult) {
        String status = ended.event().wireName().toLowerCase(Locale.ROOT);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("task_id", ended.taskId());
        view.put("name", ended.name());
        view.put("status", status);
        if (ended.result() != null && withResult) {
            view.put("result", ended.result());
        } else if (ended.result() != null) {
            view.put("result_omitted", true);
        }
        if (ended.error() != null) {
            view.put("error", ended.error());
        }
        view.put("attempts", ended.attempt() == null ? 0 : ended.attempt());
        view.put("created_at", ended.createdAt() != null ? ended.createdAt() : ended.at());
        view.put("updated_at", ended.at());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "task." + status);
        body.put("timestamp", ended.at());
        body.put("data", view);
        try {
            return Json.mapper().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a task view is always JSON", e);
        }
    }
}
