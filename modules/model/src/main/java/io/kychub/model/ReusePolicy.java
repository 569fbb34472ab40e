package io.kychub.model;

import io.vertx.core.json.JsonObject;

/** A tenant's part in verify-once reuse: share its verifications, accept others', and how old they may be. */
public record ReusePolicy(boolean share, boolean accept, int maxAgeDays) {

  public static final ReusePolicy DEFAULT = new ReusePolicy(false, false, 365);

  public ReusePolicy {
    if (maxAgeDays < 1 || maxAgeDays > 36500) {
      throw new IllegalArgumentException("reuse.maxAgeDays must be between 1 and 36500");
    }
  }

  public static ReusePolicy fromJson(JsonObject json, ReusePolicy base) {
    if (json == null) {
      return base;
    }
    return new ReusePolicy(
        json.getBoolean("share", base.share()),
        json.getBoolean("accept", base.accept()),
        json.getInteger("maxAgeDays", base.maxAgeDays()));
  }

  public JsonObject toJson() {
    return new JsonObject().put("share", share).put("accept", accept).put("maxAgeDays", maxAgeDays);
  }
}
