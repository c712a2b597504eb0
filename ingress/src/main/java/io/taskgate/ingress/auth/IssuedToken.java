package io.taskgate.ingress.auth;

/** A freshly signed access token and its claims. {@link #toString()} leaves the token out. */
public record IssuedToken(String compact, AccessToken claims) {

    @Override
    public String toString() {
        return "IssuedToken[claims=" + claims + "]";
    }
}
