package io.kychub.providers.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Source-address allow-lists of IPv4 and IPv6 CIDRs (a bare address is a one-address CIDR).
 * Only literals are parsed, never resolved: a request must not trigger a DNS lookup, and a
 * misconfigured entry simply matches nothing instead of failing the request.
 */
public final class IpAllowList {

  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

  private IpAllowList() {}

  /** True when {@code cidrs} is empty (any address) or one of them contains {@code remoteIp}. */
  public static boolean allows(List<String> cidrs, String remoteIp) {
    if (cidrs.isEmpty()) {
      return true;
    }
    byte[] address = literal(remoteIp);
    if (address == null) {
      return false;
    }
    for (String cidr : cidrs) {
      if (contains(cidr, address)) {
        return true;
      }
    }
    return false;
  }

  /** True when {@code cidr} is a valid CIDR or address literal that contains {@code address}. */
  static boolean contains(String cidr, byte[] address) {
    if (cidr == null) {
      return false;
    }
    String[] parts = cidr.trim().split("/", -1);
    if (parts.length > 2) {
      return false;
    }
    byte[] network = literal(parts[0]);
    if (network == null || network.length != address.length) {
      return false;
    }
    int bits = network.length * 8;
    int prefix = bits;
    if (parts.length == 2) {
      try {
        prefix = Integer.parseInt(parts[1].trim());
      } catch (NumberFormatException e) {
        return false;
      }
    }
    if (prefix < 0 || prefix > bits) {
      return false;
    }
    int whole = prefix / 8;
    for (int i = 0; i < whole; i++) {
      if (network[i] != address[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xFF << (8 - rest)) & 0xFF;
    return (network[whole] & mask) == (address[whole] & mask);
  }

  /** The bytes of an IPv4 or IPv6 literal (brackets and zone id allowed), or null. */
  static byte[] literal(String ip) {
    if (ip == null) {
      return null;
    }
    String s = ip.trim();
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
    }
    int zone = s.indexOf('%');
    if (zone >= 0) {
      s = s.substring(0, zone);
    }
    if (s.indexOf(':') < 0) {
      return ipv4(s);
    }
    if (!IPV6_CHARS.matcher(s).matches()) {
      return null;
    }
    try {
      // with a ':' InetAddress treats the text as an IPv6 literal and never resolves it
      return InetAddress.getByName(s).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static byte[] ipv4(String s) {
    String[] octets = s.split("\\.", -1);
    if (octets.length != 4) {
      return null;
    }
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      String o = octets[i];
      if (o.isEmpty() || o.length() > 3 || !o.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return null;
      }
      int v = Integer.parseInt(o);
      if (v > 255) {
        return null;
      }
      bytes[i] = (byte) v;
    }
    return bytes;
  }
}
