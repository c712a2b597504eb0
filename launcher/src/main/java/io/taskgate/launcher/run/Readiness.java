package io.taskgate.launcher.run;

import java.time.Duration;

/** Waits until every started part says it is ready, or names the one that is not. */
public final class Readiness {
    private Readiness() {
    }

    public static void await(Running running, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String waitingFor = running.notReady();
        while (waitingFor != null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(waitingFor + " was not ready within " + timeout.toSeconds() + " s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + waitingFor, e);
            }
            waitingFor = running.notReady();
        }
    }
}
