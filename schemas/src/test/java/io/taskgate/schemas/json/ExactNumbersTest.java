package io.taskgate.schemas.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.schemas.topics.Topics;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ExactNumbersTest {
    private static final String NUMBERS =
            "{\"huge\":1e400,\"scaled\":1.50,\"long_decimal\":0.1000000000000000000000000000001,\"billion\":1e9,"
                    + "\"big_integer\":123456789012345678901234567890,\"tiny\":-2.5e-400}";

    @Test
    void shouldKeepEveryNumberExactlyThroughTheMapper() throws Exception {
        JsonNode parsed = Json.mapper().readTree(NUMBERS);

        assertEquals("{\"huge\":1E+400,\"scaled\":1.50,\"long_decimal\":0.1000000000000000000000000000001,\"billion\":1E+9,"
                + "\"big_integer\":123456789012345678901234567890,\"tiny\":-2.5E-400}", Json.mapper().writeValueAsString(parsed));
    }

    @Test
    void shouldCarryATasksInputToItsWorkerExactly() throws Exception {
        JsonNode input = Json.mapper().readTree(NUMBERS);
        TaskMessage task = new TaskMessage("tsk_1", "echo.run", "agt_1", "bot", input, null, "req_1", null, "127.0.0.1",
                Instant.EPOCH, "default");
        var serde = new Topics("t").requested().valueSerde();

        TaskMessage received = serde.deserializer().deserialize("t", serde.serializer().serialize("t", task));

        assertEquals(Json.mapper().writeValueAsString(input), Json.mapper().writeValueAsString(received.input()));
        assertEquals(new java.math.BigDecimal("1e400"), received.input().get("huge").decimalValue());
    }
}
