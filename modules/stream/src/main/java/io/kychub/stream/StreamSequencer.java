package io.kychub.stream;

import io.kychub.model.StatusChangedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Merges one tenant's live events and database pages into the ordered, gap-free, duplicate-free
 * sequence one connection must see. Plain code without I/O: the connection asks it what to
 * write and whether to read the database.
 *
 * <p>It rests on two facts of the store: per tenant, event ids are strictly increasing and
 * commit in id order (so a database read sees a prefix of the tenant's ids), and an event is
 * published only after its commit (so a live event {@code k} proves every id {@code <= k} is
 * readable).
 *
 * <p>{@link #position()} is tenant-wide: every event with an id at or below it has been handed
 * out or is known not to match the customer filter, and nothing above it has been handed out.
 * Live events are buffered until they are the next id ({@code position + 1}); ids at or below
 * the position are duplicates. With a customer filter a customer's ids are not contiguous, so
 * the position also advances over other customers' live events, and a database page (which
 * holds only the customer's events) advances it to the highest id the page is known to cover.
 * {@link #knownCommitted()} is the highest id known to be in the database (the tenant's last
 * sequence at connect time, or any live id); while the position is below it the connection is
 * {@link #behind()} and reads the gap from the database.
 */
final class StreamSequencer {

  private final String customerIdOrNull;
  private final TreeMap<Long, StatusChangedEvent> waiting = new TreeMap<>();
  private boolean started;
  private long position;
  private long knownCommitted;

  StreamSequencer(String customerIdOrNull) {
    this.customerIdOrNull = customerIdOrNull;
  }

  /**
   * Sets the resume point. Live events offered earlier were buffered; those at or below the
   * cursor are dropped, the rest are handed out if they follow on.
   *
   * @param lastCommitted the tenant's last sequence, read after live events were subscribed
   */
  List<StatusChangedEvent> start(long cursor, long lastCommitted) {
    started = true;
    position = cursor;
    knownCommitted = Math.max(knownCommitted, lastCommitted);
    waiting.headMap(cursor, true).clear();
    return drainContiguous();
  }

  /** A live event of the tenant (any customer): returns what can be written now, in order. */
  List<StatusChangedEvent> offerLive(StatusChangedEvent event) {
    knownCommitted = Math.max(knownCommitted, event.id());
    if (started && event.id() <= position) {
      return List.of();
    }
    waiting.putIfAbsent(event.id(), event);
    return started ? drainContiguous() : List.of();
  }

  /**
   * A page read from the database after some earlier position, filtered like this stream.
   *
   * @param mayHaveMore the page was full, so it covers only up to its own last id
   * @param target {@link #knownCommitted()} when the read was issued: a page that is not full
   *     covers at least up to it, since everything up to it had committed before the read
   */
  List<StatusChangedEvent> acceptPage(List<StatusChangedEvent> page, boolean mayHaveMore, long target) {
    long lastInPage = page.isEmpty() ? position : page.get(page.size() - 1).id();
    long coveredUpTo = mayHaveMore ? lastInPage : Math.max(target, lastInPage);
    for (StatusChangedEvent event : page) {
      if (event.id() > position) {
        waiting.putIfAbsent(event.id(), event);
      }
    }
    List<StatusChangedEvent> out = new ArrayList<>();
    while (!waiting.isEmpty() && waiting.firstKey() <= coveredUpTo) {
      StatusChangedEvent event = waiting.pollFirstEntry().getValue();
      if (event.id() > position && matches(event)) {
        out.add(event);
      }
    }
    position = Math.max(position, coveredUpTo);
    knownCommitted = Math.max(knownCommitted, coveredUpTo);
    out.addAll(drainContiguous());
    return out;
  }

  /** The tenant's last committed sequence, read from the database (heartbeats check it). */
  void learnCommitted(long lastCommitted) {
    knownCommitted = Math.max(knownCommitted, lastCommitted);
  }

  /** True when some committed event has not been accounted for: read the database after {@link #position()}. */
  boolean behind() {
    return started && position < knownCommitted;
  }

  boolean started() {
    return started;
  }

  long position() {
    return position;
  }

  long knownCommitted() {
    return knownCommitted;
  }

  /** Live events held back because an earlier id is missing (or the start is not known yet). */
  int buffered() {
    return waiting.size();
  }

  private List<StatusChangedEvent> drainContiguous() {
    List<StatusChangedEvent> out = new ArrayList<>();
    while (!waiting.isEmpty() && waiting.firstKey() == position + 1) {
      StatusChangedEvent event = waiting.pollFirstEntry().getValue();
      position = event.id();
      if (matches(event)) {
        out.add(event);
      }
    }
    return out;
  }

  private boolean matches(StatusChangedEvent event) {
    return customerIdOrNull == null || customerIdOrNull.equals(event.customerId());
  }
}
