package io.taskgate.ingress.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.taskgate.ingress.http.ApiException;
import io.taskgate.schemas.errors.ErrorCode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WaitPreferenceTest {

    @Test
    void shouldReadWaitFromPrefer() {
        assertEquals(Duration.ofSeconds(5), WaitPreference.fromPrefer(List.of("wait=5")));
    }

    @Test
    void shouldFindWaitAmongOtherPreferencesAndHeaders() {
        assertEquals(Duration.ofSeconds(7), WaitPreference.fromPrefer(List.of("respond-async, Wait = 7 ; foo=bar")));
        assertEquals(Duration.ofSeconds(3), WaitPreference.fromPrefer(List.of("return=minimal", "wait=\"3\"")));
    }

    @Test
    void shouldClampWaitToThirtySeconds() {
        assertEquals(Duration.ofSeconds(30), WaitPreference.fromPrefer(List.of("wait=3600")));
    }

    @Test
    void shouldIgnoreAPreferenceItCannotRead() {
        assertEquals(Duration.ZERO, WaitPreference.fromPrefer(List.of("wait=soon")));
        assertEquals(Duration.ZERO, WaitPreference.fromPrefer(List.of("wait=-4")));
        assertEquals(Duration.ZERO, WaitPreference.fromPrefer(List.of("wait=0")));
        assertEquals(Duration.ZERO, WaitPreference.fromPrefer(List.of("respond-async")));
        assertEquals(Duration.ZERO, WaitPreference.fromPrefer(null));
    }

    @Test
    void shouldReadAndClampTheWaitQueryParameter() {
        assertEquals(Duration.ZERO, WaitPreference.fromQuery(null));
        assertEquals(Duration.ofSeconds(12), WaitPreference.fromQuery(List.of("12")));
        assertEquals(Duration.ofSeconds(30), WaitPreference.fromQuery(List.of("31")));
    }

    @Test
    void shouldRejectABadWaitQueryParameter() {
        for (String bad : List.of("abc", "-1", "1.5", "", "٣")) {
            ApiException error = assertThrows(ApiException.class, () -> WaitPreference.fromQuery(List.of(bad)), bad);
            assertEquals(ErrorCode.BAD_REQUEST, error.detail().kind());
        }
    }
}
