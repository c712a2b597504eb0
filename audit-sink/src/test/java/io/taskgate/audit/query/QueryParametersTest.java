package io.taskgate.audit.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskgate.audit.store.AuditQuery;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryParametersTest {

    @Test
    void shouldReadEveryFilter() {
        AuditQuery query = QueryParameters.parse(params("agent_id", "agt_1", "task_id", "tsk_1", "type", "task.succeeded",
                "since", "2025-03-01T10:00:00Z", "until", "2025-03-01T12:00:00+01:00", "limit", "5"));

        assertEquals(new AuditQuery("agt_1", "tsk_1", "task.succeeded", Instant.parse("2025-03-01T10:00:00Z"),
                Instant.parse("2025-03-01T11:00:00Z"), 5), query);
    }

    @Test
    void shouldDefaultToTheNewestHundredUnfiltered() {
        AuditQuery query = QueryParameters.parse(params());

        assertEquals(AuditQuery.latest(AuditQuery.DEFAULT_LIMIT), query);
        assertNull(query.agentId());
    }

    @Test
    void shouldCapTheLimit() {
        assertEquals(AuditQuery.MAX_LIMIT, QueryParameters.parse(params("limit", "50000")).limit());
    }

    @Test
    void shouldReadADateAsMidnightUtc() {
        assertEquals(Instant.parse("2025-03-01T00:00:00Z"), QueryParameters.parse(params("since", "2025-03-01")).since());
    }

    @Test
    void shouldNameTheParameterThatIsWrong() {
        assertMessage("since must be an ISO-8601 instant", params("since", "yesterday"));
        assertMessage("until must be an ISO-8601 instant", params("until", "2025-13-01T00:00:00Z"));
        assertMessage("limit must be a whole number", params("limit", "ten"));
        assertMessage("limit must be at least 1", params("limit", "0"));
        assertMessage("type must be an audit action", params("type", "Task Succeeded"));
        assertMessage("since must be before until", params("since", "2025-03-02", "until", "2025-03-01"));
        assertMessage("agent_id is longer than", params("agent_id", "a".repeat(300)));
    }

    private static void assertMessage(String expected, Map<String, Deque<String>> parameters) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QueryParameters.parse(parameters));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }

    private static Map<String, Deque<String>> params(String... namesAndValues) {
        Map<String, Deque<String>> parameters = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            parameters.put(namesAndValues[i], new ArrayDeque<>(List.of(namesAndValues[i + 1])));
        }
        return parameters;
    }
}
