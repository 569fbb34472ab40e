package io.kychub.webhooks;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.util.List;

/** The addresses of a target's host, looked up again before every connection. */
@FunctionalInterface
public interface Resolver {

  Future<List<InetAddress>> resolve(String host);

  /** The JVM's resolver (its cache included), off the event loop; an IP literal is taken as it is. */
  static Resolver system(Vertx vertx) {
    return host -> vertx.executeBlocking(() -> List.of(InetAddress.getAllByName(literal(host))), false);
  }

  /** {@code [::1]} as {@code ::1}: the JDK parses IPv6 literals without their brackets. */
  static String literal(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }
}
