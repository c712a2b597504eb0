package io.taskgate.schemas.policy;

/**
 * A policy document that cannot be applied. The message is the one line an admin needs to fix it:
 * the field path, the problem and the line, e.g.
 * {@code tasks.serpapi.search.rate_limit: expected N/unit such as 100/hour, got 'x' (line 7)}.
 */
public final class PolicyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final int line;

    /**
     * @param field the dotted path of the offending field, empty for the document as a whole
     * @param line  the 1-based line the problem is on
     */
    public PolicyException(String field, int line, String problem) {
        super((field.isEmpty() ? "" : field + ": ") + problem + " (line " + line + ")");
        this.field = field;
        this.line = line;
    }

    /** The dotted path of the offending field ({@code ingress.ip_allowlist[1]}), empty for the whole document. */
    public String field() {
        return field;
    }

    /** The 1-based line of the document the problem is on. */
    public int line() {
        return line;
    }
}
