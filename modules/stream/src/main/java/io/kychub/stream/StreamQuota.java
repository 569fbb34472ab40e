package io.kychub.stream;

import io.kychub.model.HubConfig;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Concurrent streams per client secret, per API key and per tenant on this node, shared by all its
 * listener instances: one leaked credential cannot hold thousands of connections open.
 */
public final class StreamQuota {

  private final int perClientSecret;
  private final int perApiKey;
  private final int perTenant;
  private final ConcurrentHashMap<String, AtomicInteger> open = new ConcurrentHashMap<>();

  public StreamQuota(HubConfig.Stream limits) {
    this(limits.maxPerClientSecret(), limits.maxPerApiKey(), limits.maxPerTenant());
  }

  public StreamQuota(int perClientSecret, int perApiKey, int perTenant) {
    this.perClientSecret = perClientSecret;
    this.perApiKey = perApiKey;
    this.perTenant = perTenant;
  }

  /** Counts a new stream of this scope; false (and nothing counted) when its credential or tenant is at its cap. */
  public boolean tryAcquire(StreamScope scope) {
    String credentialKey = credentialKey(scope);
    int credentialCap = scope.credential().kind() == StreamScope.Kind.CLIENT_SECRET ? perClientSecret : perApiKey;
    if (!take(credentialKey, credentialCap)) {
      return false;
    }
    if (!take(tenantKey(scope), perTenant)) {
      give(credentialKey);
      return false;
    }
    return true;
  }

  public void release(StreamScope scope) {
    give(credentialKey(scope));
    give(tenantKey(scope));
  }

  /** Streams open now under this scope's credential (for tests). */
  public int openFor(StreamScope scope) {
    AtomicInteger n = open.get(credentialKey(scope));
    return n == null ? 0 : n.get();
  }

  private boolean take(String key, int cap) {
    boolean[] taken = {false};
    open.compute(key, (k, n) -> {
      AtomicInteger count = n == null ? new AtomicInteger() : n;
      if (count.get() < cap) {
        count.incrementAndGet();
        taken[0] = true;
      }
      return count.get() == 0 ? null : count;
    });
    return taken[0];
  }

  private void give(String key) {
    open.computeIfPresent(key, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
  }

  private static String credentialKey(StreamScope scope) {
    return (scope.credential().kind() == StreamScope.Kind.CLIENT_SECRET ? "s:" : "k:") + scope.credential().id();
  }

  private static String tenantKey(StreamScope scope) {
    return "t:" + scope.tenantId();
  }
}
