package io.taskgate.ingress.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskgate.ingress.http.ApiException;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.policy.IngressRules;
import io.taskgate.schemas.policy.IpAllowlist;
import io.taskgate.schemas.policy.Policy;
import io.taskgate.schemas.policy.TaskRule;
import io.taskgate.schemas.tasks.TaskName;
import io.taskgate.schemas.tools.KnownTasks;
import io.taskgate.schemas.tools.ToolCatalog;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TaskCatalogTest {
    private static final KnownTasks BUILT_IN = ToolCatalog.builtIn();
    private static final Policy WITH_ROUTES = new Policy(1, Policy.DEFAULT_RATE_LIMIT, null,
            new IngressRules(IpAllowlist.everyone(), Policy.DEFAULT_PER_IP_RATE_LIMIT), List.of(
            new TaskRule("users.*", null, List.of(), List.of(), "http://127.0.0.1:9000", false, null, false),
            new TaskRule("users.admin", null, List.of(), List.of(), null, false, null, false),
            new TaskRule("public.*", null, List.of(), List.of(), null, true, null, false)));

    @Test
    void shouldKnowTheToolsWorkersRun() {
        for (String name : List.of("echo.run", "sleep.run", "http_fetch.get", "serpapi.search", "openai.chat", "email.send")) {
            assertTrue(TaskCatalog.isKnown(name, Policy.defaults(), BUILT_IN), name);
        }
    }

    @Test
    void shouldNotKnowToolsNoWorkerRuns() {
        for (String name : List.of("http_fetch.put", "http_fetch.delete", "echo.walk")) {
            assertFalse(TaskCatalog.isKnown(name, Policy.defaults(), BUILT_IN), name);
            assertEquals(ErrorCode.NOT_FOUND,
                    assertThrows(ApiException.class, () -> TaskCatalog.resolve(name, Policy.defaults(), BUILT_IN)).detail().kind());
        }
    }

    @Test
    void shouldKnowNamesAPolicyRuleRoutesToABackend() {
        assertTrue(TaskCatalog.isKnown("users.create", WITH_ROUTES, BUILT_IN));
        assertTrue(TaskCatalog.isKnown("users.admin", WITH_ROUTES, BUILT_IN), "a more specific rule without a route keeps the route");
        assertFalse(TaskCatalog.isKnown("users.create", Policy.defaults(), BUILT_IN));
    }

    @Test
    void shouldNotKnowNamesWithoutARoute() {
        assertFalse(TaskCatalog.isKnown("public.thing", WITH_ROUTES, BUILT_IN), "a rule without a route names no runnable task");
        assertFalse(TaskCatalog.isKnown("echo.walk", WITH_ROUTES, BUILT_IN));
        assertFalse(TaskCatalog.isKnown("echo", WITH_ROUTES, BUILT_IN));
        assertFalse(TaskCatalog.isKnown("Echo.Run", WITH_ROUTES, BUILT_IN));
    }

    @Test
    void shouldKnowANameAWorkerAnnouncedBesideTheBuiltInOnes() {
        KnownTasks withPlugin = new ToolCatalog(Set.of("echo.run", "text.upper"));

        assertTrue(TaskCatalog.isKnown("text.upper", Policy.defaults(), withPlugin));
        assertEquals(new TaskName("text", "upper"), TaskCatalog.resolve("text.upper", Policy.defaults(), withPlugin));
        assertFalse(TaskCatalog.isKnown("text.upper", Policy.defaults(), BUILT_IN));
    }

    @Test
    void shouldResolveAKnownNameAndAnswer404OtherWise() {
        assertEquals(new TaskName("http_fetch", "get"), TaskCatalog.resolve("http_fetch.get", Policy.defaults(), BUILT_IN));

        ApiException unknown = assertThrows(ApiException.class, () -> TaskCatalog.resolve("nope.run", Policy.defaults(), BUILT_IN));
        ApiException invalid = assertThrows(ApiException.class, () -> TaskCatalog.resolve("../etc", Policy.defaults(), BUILT_IN));

        assertEquals(ErrorCode.NOT_FOUND, unknown.detail().kind());
        assertEquals(ErrorCode.NOT_FOUND, invalid.detail().kind());
    }
}
