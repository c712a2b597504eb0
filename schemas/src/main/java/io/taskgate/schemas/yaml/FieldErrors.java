package io.taskgate.schemas.yaml;

/** Makes the exception a document's reader throws for a field: each kind of document has its own. */
@FunctionalInterface
public interface FieldErrors {

    /**
     * @param field the dotted path of the offending field, empty for the document as a whole
     * @param line  the 1-based line the problem is on
     */
    RuntimeException at(String field, int line, String problem);
}
