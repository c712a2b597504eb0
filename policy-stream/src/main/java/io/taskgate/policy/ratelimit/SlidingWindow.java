package io.taskgate.policy.ratelimit;

import io.taskgate.schemas.policy.RateLimit;
import java.util.ArrayList;
import java.util.List;

/**
 * The recent events of one rate-limit key, for a sliding window. Events are grouped in slots a
 * sixtieth of the window wide, so the state stays small (at most about 60 slots) however high the
 * limit. A slot remembers its latest event and counts until that one leaves the window: an
 * earlier event in the same slot may be counted up to one slot width too long, never too short,
 * so no window of the limit's length ever holds more than the limit.
 */
public final class SlidingWindow {
    static final int SLOTS_PER_WINDOW = 60;

    private final List<Slot> slots;

    /** One slot: the time of its latest event and how many events it holds. */
    record Slot(long latestMillis, long count) {
    }

    public SlidingWindow() {
        this(List.of());
    }

    SlidingWindow(List<Slot> slots) {
        this.slots = new ArrayList<>(slots);
    }

    List<Slot> slots() {
        return List.copyOf(slots);
    }

    /**
     * Counts one event at {@code nowMillis} if the window has room for it.
     *
     * @return 0 when the event was counted, otherwise how many milliseconds until there is room
     */
    public long tryAcquire(RateLimit limit, long nowMillis) {
        long windowMillis = limit.window().toMillis();
        slots.removeIf(slot -> slot.latestMillis() + windowMillis <= nowMillis);
        long inWindow = slots.stream().mapToLong(Slot::count).sum();
        if (inWindow < limit.limit()) {
            add(nowMillis, Math.max(1, windowMillis / SLOTS_PER_WINDOW));
            return 0;
        }
        return millisUntilRoom(inWindow - limit.limit() + 1, windowMillis, nowMillis);
    }

    private void add(long nowMillis, long slotMillis) {
        int last = slots.size() - 1;
        Slot newest = last < 0 ? null : slots.get(last);
        if (newest == null || nowMillis / slotMillis > newest.latestMillis() / slotMillis) {
            slots.add(new Slot(nowMillis, 1));
        } else {
            // Same slot, or an event older than the newest slot (ingress clocks differ slightly):
            // merging it into the newest slot keeps the slots in time order and only counts it longer.
            slots.set(last, new Slot(Math.max(newest.latestMillis(), nowMillis), newest.count() + 1));
        }
    }

    private long millisUntilRoom(long mustLeave, long windowMillis, long nowMillis) {
        long left = 0;
        for (Slot slot : slots) {
            left += slot.count();
            if (left >= mustLeave) {
                return Math.max(1, slot.latestMillis() + windowMillis - nowMillis);
            }
        }
        throw new IllegalStateException("a full window holds at least the events that must leave it");
    }
}
