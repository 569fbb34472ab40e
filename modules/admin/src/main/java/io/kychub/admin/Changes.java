package io.kychub.admin;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/** What an audit entry may say about a change: the names of the fields that differ, never their values. */
final class Changes {

  private Changes() {}

  /** Dotted names ({@code webhookAuth.secrets}, {@code api.apiKey}) of the fields that differ; before may be null. */
  static List<String> fieldNames(JsonObject before, JsonObject after) {
    TreeSet<String> names = new TreeSet<>();
    collect("", before == null ? new JsonObject() : before, after == null ? new JsonObject() : after, names);
    return List.copyOf(names);
  }

  private static void collect(String prefix, JsonObject before, JsonObject after, TreeSet<String> names) {
    TreeSet<String> keys = new TreeSet<>(before.fieldNames());
    keys.addAll(after.fieldNames());
    for (String key : keys) {
      Object a = before.getValue(key);
      Object b = after.getValue(key);
      if (a instanceof JsonObject oa && b instanceof JsonObject ob) {
        collect(prefix + key + ".", oa, ob, names);
      } else if (b instanceof JsonObject ob && a == null) {
        collect(prefix + key + ".", new JsonObject(), ob, names);
      } else if (!Objects.equals(a, b)) {
        names.add(prefix + key);
      }
    }
  }
}
