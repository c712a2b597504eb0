package io.taskgate.ingress.status;

import java.net.URI;

/** Which ingress instance holds a task's status right now. */
public sealed interface Owner {
    Owner UNAVAILABLE = new Unavailable();

    /** This instance; the key lives in {@code partition} of the local store. */
    record Local(int partition) implements Owner {
    }

    /** Another instance, reached at {@code baseUrl}. */
    record Remote(URI baseUrl) implements Owner {
    }

    /** Nobody, for the moment: the status view is starting or rebalancing. */
    record Unavailable() implements Owner {
    }
}
