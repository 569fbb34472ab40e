package io.kychub.webhooks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where operator webhooks may go. A tenant names the URL, so without rules it could make the hub
 * call its own network (a metadata service, a database's HTTP port, the admin API): only {@code
 * https://} targets whose every address is public, checked when an endpoint is created or changed
 * and again before every connection (a name may resolve elsewhere later). {@code allowPrivate}
 * (tests, the demo, a private network) also allows {@code http://} and any address.
 */
public final class TargetPolicy {

  private final boolean allowPrivate;

  public TargetPolicy(boolean allowPrivate) {
    this.allowPrivate = allowPrivate;
  }

  public boolean allowsPrivate() {
    return allowPrivate;
  }

  /** The URL's shape: an error for the caller, or empty when it may be used (its addresses still to be checked). */
  public Optional<String> checkUrl(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return Optional.of("url must be an absolute URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
      return Optional.of("url must be an absolute URL with a host, and no user info or fragment");
    }
    if (!scheme.equals("https") && !(allowPrivate && scheme.equals("http"))) {
      return Optional.of(allowPrivate ? "url must be http or https" : "url must be https");
    }
    if (url.length() > 2000) {
      return Optional.of("url must be at most 2000 characters");
    }
    return Optional.empty();
  }

  /** An error when any of the host's addresses is not public (or there is none), else empty. */
  public Optional<String> checkAddresses(String host, List<InetAddress> addresses) {
    if (addresses.isEmpty()) {
      return Optional.of("the host " + host + " does not resolve");
    }
    if (allowPrivate) {
      return Optional.empty();
    }
    for (InetAddress address : addresses) {
      if (!isPublic(address)) {
        return Optional.of("the host " + host + " resolves to a loopback, private, link-local or metadata address");
      }
    }
    return Optional.empty();
  }

  /** Not loopback, private, link-local (the cloud metadata services), shared, multicast, unspecified or reserved. */
  static boolean isPublic(InetAddress address) {
    if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
        || address.isAnyLocalAddress() || address.isMulticastAddress()) {
      return false;
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet6Address) {
      // Unique local fc00::/7, and IPv4 addresses written as IPv6 (::ffff:a.b.c.d, 64:ff9b::a.b.c.d).
      if ((b[0] & 0xfe) == 0xfc) {
        return false;
      }
      boolean mapped = isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
      boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
          && isZero(b, 4, 12);
      if (mapped || nat64) {
        try {
          return isPublic(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
        } catch (java.net.UnknownHostException e) {
          return false;
        }
      }
      return true;
    }
    if (address instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      // 0/8 this network, 100.64/10 shared (carrier NAT), 192.0.0/24 protocol assignments, 198.18/15 benchmarking, 240/4 reserved.
      return !(first == 0 || (first == 100 && (second & 0xc0) == 64) || (first == 192 && second == 0 && (b[2] & 0xff) == 0)
          || (first == 198 && (second == 18 || second == 19)) || first >= 240);
    }
    return false;
  }

  private static boolean isZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
