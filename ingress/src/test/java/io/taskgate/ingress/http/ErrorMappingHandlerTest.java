package io.taskgate.ingress.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.taskgate.ingress.testing.TestExchanges;
import io.taskgate.platform.kafka.WriteNotVisibleException;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.errors.ErrorDetail;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ErrorMappingHandlerTest {

    @Test
    void shouldAnswerASharedStateWriteNotVisibleYetAsARetryable503() {
        ErrorDetail detail = ErrorMappingHandler.detailFor(TestExchanges.from("127.0.0.1"),
                new CompletionException(new WriteNotVisibleException("Kafka did not acknowledge the change")));

        assertEquals(ErrorCode.UNAVAILABLE, detail.kind());
        assertEquals("Kafka did not acknowledge the change", detail.message());
        assertEquals(2L, detail.retryAfterS());
    }

    @Test
    void shouldAnswerAnApiExceptionAsItSays() {
        ErrorDetail detail = ErrorMappingHandler.detailFor(TestExchanges.from("127.0.0.1"),
                new ApiException(ErrorCode.NOT_FOUND, "no task named 'x.y'"));

        assertEquals(ErrorCode.NOT_FOUND, detail.kind());
    }
}
