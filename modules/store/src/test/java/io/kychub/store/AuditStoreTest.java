package io.kychub.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditStoreTest extends DatabaseTestBase {

  @Test
  void entriesListNewestFirstAndPageBackwards() throws Exception {
    AuditStore store = new AuditStore(pool);
    for (int i = 1; i <= 3; i++) {
      await(store.record("admin-" + i, "tenant.create", "tenant:t" + i, new JsonObject().put("n", i)));
    }
    List<JsonObject> all = await(store.list(10, null));
    assertThat(all).extracting(e -> e.getString("target")).containsExactly("tenant:t3", "tenant:t2", "tenant:t1");
    JsonObject newest = all.get(0);
    assertThat(newest.getString("actor")).isEqualTo("admin-3");
    assertThat(newest.getString("action")).isEqualTo("tenant.create");
    assertThat(newest.getJsonObject("details")).isEqualTo(new JsonObject().put("n", 3));
    assertThat(newest.getString("at")).isNotBlank();

    List<JsonObject> older = await(store.list(1, newest.getLong("id")));
    assertThat(older).extracting(e -> e.getString("target")).containsExactly("tenant:t2");
  }
}
