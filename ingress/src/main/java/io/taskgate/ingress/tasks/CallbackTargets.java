package io.taskgate.ingress.tasks;

import io.taskgate.ingress.http.ApiException;
import io.taskgate.platform.net.RefusedAddressException;
import io.taskgate.platform.net.TargetAddresses;
import io.taskgate.schemas.errors.ErrorCode;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Where a {@code callback_url} may point, checked at submission as {@code http_fetch} targets are:
 * its host must resolve, and only to addresses {@link TargetAddresses} allows. The webhook deliverer
 * checks again at delivery, against the addresses it then connects to.
 */
final class CallbackTargets {
    private final TargetAddresses addresses;
    private final Executor resolverExecutor;

    /** @param resolverExecutor where name resolution, which blocks, runs: never an IO thread */
    CallbackTargets(TargetAddresses addresses, Executor resolverExecutor) {
        this.addresses = addresses;
        this.resolverExecutor = resolverExecutor;
    }

    /** Completes when the URL's host may be called back; fails with a 400 naming the field when not. */
    CompletableFuture<Void> check(String callbackUrl) {
        if (callbackUrl == null) {
            return CompletableFuture.completedFuture(null);
        }
        String host = URI.create(callbackUrl).getHost();
        return CompletableFuture.runAsync(() -> {
            try {
                addresses.resolve(host);
            } catch (RefusedAddressException e) {
                throw new ApiException(ErrorCode.BAD_REQUEST, "'callback_url' is refused: " + e.getMessage());
            } catch (UnknownHostException e) {
                throw new ApiException(ErrorCode.BAD_REQUEST, "'callback_url' host " + host + " does not resolve");
            }
        }, resolverExecutor);
    }
}
