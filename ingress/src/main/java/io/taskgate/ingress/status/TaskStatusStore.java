package io.taskgate.ingress.status;

import io.taskgate.ingress.http.ApiException;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.errors.ErrorDetail;
import java.net.URI;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads the status store of a running {@link TaskStatusService}: which instance owns a task's
 * partition now ({@link #ownerOf}), and the task's view when that is this instance.
 */
public final class TaskStatusStore {
    private final KafkaStreams streams;
    private final HostInfo self;
    private final String scheme;

    public TaskStatusStore(TaskStatusService service, URI advertisedUrl) {
        this.streams = service.streams();
        this.self = TaskStatusStreamsConfig.hostInfo(advertisedUrl);
        this.scheme = advertisedUrl.getScheme();
    }

    public Owner ownerOf(String taskId) {
        KeyQueryMetadata metadata;
        try {
            metadata = streams.queryMetadataForKey(TaskStatusTopology.STORE, taskId, Serdes.String().serializer());
        } catch (InvalidStateStoreException | IllegalStateException e) {
            return Owner.UNAVAILABLE;
        }
        if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)
                || HostInfo.unavailable().equals(metadata.activeHost())) {
            return Owner.UNAVAILABLE;
        }
        HostInfo active = metadata.activeHost();
        if (active.equals(self)) {
            return new Owner.Local(metadata.partition());
        }
        return new Owner.Remote(URI.create(scheme + "://" + active.host() + ":" + active.port()));
    }

    /** The task's view from the local store; 503 when this instance does not hold its partition now. */
    public Optional<TaskView> get(String taskId) {
        if (!(ownerOf(taskId) instanceof Owner.Local local)) {
            throw rebalancing();
        }
        try {
            ReadOnlyKeyValueStore<String, TaskView> store = streams.store(StoreQueryParameters
                    .fromNameAndType(TaskStatusTopology.STORE, QueryableStoreTypes.<String, TaskView>keyValueStore())
                    .withPartition(local.partition()));
            return Optional.ofNullable(store.get(taskId));
        } catch (InvalidStateStoreException e) {
            throw rebalancing();
        }
    }

    private static ApiException rebalancing() {
        return new ApiException(ErrorDetail.retryable(ErrorCode.UNAVAILABLE, "task status is moving between instances; retry", 1));
    }
}
