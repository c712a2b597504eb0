package io.taskgate.schemas.workflows;

/** A workflow document that is not valid, naming the field and line of the problem. */
public final class WorkflowException extends RuntimeException {
    private final String field;
    private final int line;

    public WorkflowException(String field, int line, String problem) {
        super(field + " (line " + line + "): " + problem);
        this.field = field;
        this.line = line;
    }

    public String field() {
        return field;
    }

    public int line() {
        return line;
    }
}
