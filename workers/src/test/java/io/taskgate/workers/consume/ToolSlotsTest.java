package io.taskgate.workers.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolSlotsTest {

    @Test
    void shouldGiveAToolNoMoreSlotsThanItsLimitUntilOneIsReleased() {
        ToolSlots slots = new ToolSlots(Map.of("openai", 2));

        assertTrue(slots.tryAcquire("openai"));
        assertTrue(slots.tryAcquire("openai"));
        assertFalse(slots.tryAcquire("openai"));
        slots.release("openai");
        assertTrue(slots.tryAcquire("openai"));
        assertEquals(2, slots.inUse("openai"));
    }

    @Test
    void shouldNotLimitToolsWithoutALimit() {
        ToolSlots slots = new ToolSlots(Map.of("openai", 1));
        for (int i = 0; i < 100; i++) {
            assertTrue(slots.tryAcquire("http_fetch"));
        }
    }

    @Test
    void shouldNameTheToolOfATaskName() {
        assertEquals("openai", ToolSlots.toolOf("openai.chat"));
        assertEquals("http_fetch", ToolSlots.toolOf("http_fetch.get"));
    }

    @Test
    void shouldRejectALimitBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> new ToolSlots(Map.of("openai", 0)));
    }
}
