package io.taskgate.schemas.agents;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentRecordTest {

    @Test
    void shouldMaskTheWebhookSecretWhenPrinted() {
        AgentRecord agent = new AgentRecord("agt_1", "bot", null, List.of("echo"), List.of("*"), Instant.EPOCH,
                "-----BEGIN PUBLIC KEY-----", "whsec_c2VjcmV0", false);
        String printed = agent.toString();
        assertFalse(printed.contains("whsec_c2VjcmV0"), printed);
        assertTrue(printed.contains("agt_1"), printed);
        assertTrue(agent.disable().disabled());
    }
}
