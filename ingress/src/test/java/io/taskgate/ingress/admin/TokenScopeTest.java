package io.taskgate.ingress.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskgate.ingress.http.ApiException;
import io.taskgate.schemas.errors.ErrorCode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokenScopeTest {

    @Test
    void shouldGiveTheAgentsOwnScopeWhenNoneIsAskedFor() {
        assertEquals(List.of("serpapi", "http_fetch"), TokenScope.narrow(Optional.empty(), List.of("serpapi", "http_fetch"), "tool"));
    }

    @Test
    void shouldNarrowToWhatIsAskedFor() {
        assertEquals(List.of("serpapi"), TokenScope.narrow(Optional.of(List.of("serpapi")), List.of("serpapi", "http_fetch"), "tool"));
    }

    @Test
    void shouldAllowAnythingUnderAWildcardGrant() {
        assertEquals(List.of("email", "*"), TokenScope.narrow(Optional.of(List.of("email", "*")), List.of("*"), "tool"));
    }

    @Test
    void shouldRefuseAWiderScopeNamingTheEntry() {
        ApiException e = assertThrows(ApiException.class,
                () -> TokenScope.narrow(Optional.of(List.of("serpapi", "email")), List.of("serpapi"), "tool"));

        assertEquals(ErrorCode.FORBIDDEN, e.detail().kind());
        assertTrue(e.detail().message().contains("'email'"), e.detail().message());
    }

    @Test
    void shouldRefuseAWildcardTheAgentDoesNotHold() {
        ApiException e = assertThrows(ApiException.class,
                () -> TokenScope.narrow(Optional.of(List.of("*")), List.of("search", "get"), "action"));

        assertEquals(ErrorCode.FORBIDDEN, e.detail().kind());
        assertTrue(e.detail().message().contains("action '*'"), e.detail().message());
    }

    @Test
    void shouldRefuseAnEmptyRequest() {
        ApiException e = assertThrows(ApiException.class, () -> TokenScope.narrow(Optional.of(List.of()), List.of("*"), "tool"));

        assertEquals(ErrorCode.BAD_REQUEST, e.detail().kind());
    }
}
