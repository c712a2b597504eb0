package io.taskgate.ingress.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.taskgate.ingress.http.ApiException;
import io.taskgate.schemas.errors.ErrorCode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IdempotencyKeyTest {

    @Test
    void shouldBeEmptyWithoutTheHeader() {
        assertEquals(Optional.empty(), IdempotencyKey.from(null));
        assertEquals(Optional.empty(), IdempotencyKey.from(List.of()));
    }

    @Test
    void shouldAcceptPrintableKeysUpTo200Characters() {
        assertEquals(Optional.of("order-42 / retry #1"), IdempotencyKey.from(List.of("order-42 / retry #1")));
        assertEquals(Optional.of("k".repeat(200)), IdempotencyKey.from(List.of("k".repeat(200))));
    }

    @Test
    void shouldRejectEmptyLongUnprintableOrRepeatedKeys() {
        for (List<String> bad : List.of(List.of(""), List.of("k".repeat(201)), List.of("tab\there"), List.of("caf\u00e9"),
                List.of("a", "b"))) {
            ApiException error = assertThrows(ApiException.class, () -> IdempotencyKey.from(bad), bad.toString());
            assertEquals(ErrorCode.BAD_REQUEST, error.detail().kind());
        }
    }
}
