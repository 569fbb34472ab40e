package io.kychub.model;

/** Every event-bus address of the hub, in one place. */
public final class Addresses {

  private static final String ADAPTER_PREFIX = "kyc.adapter.";

  /** Point-to-point: {@link UpdateBatch} from an adapter to the reconciler (any node). */
  public static final String RECONCILE = "kyc.reconcile";

  /** Publish: every {@link StatusChangedEvent}, to the stream verticles of every node. */
  public static final String EVENTS = "kyc.events";

  /** Publish: {@link CacheInvalidation}, so every node drops a stale tenant or credential. */
  public static final String CACHE_INVALIDATE = "kyc.cache.invalidate";

  /** Local: a nudge to this node's follow-up runner that a commit recorded follow-ups (it also polls). */
  public static final String FOLLOW_UPS_DUE = "kyc.follow-ups.due";

  private Addresses() {}

  /** Point-to-point: {@link InboundDelivery} for the adapter of one provider (any node). */
  public static String adapter(String provider) {
    return ADAPTER_PREFIX + provider;
  }
}
