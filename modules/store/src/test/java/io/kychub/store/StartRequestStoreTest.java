package io.kychub.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.kychub.model.HubConfig;
import io.kychub.store.StartRequestStore.Claim;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Idempotency keys of verification starts: claim, replay, mismatch, release, takeover, retention. */
class StartRequestStoreTest extends DatabaseTestBase {

  final SecretBox box = new SecretBox(new HubConfig.MasterKeys("k1", Map.of("k1", SecretBoxTest.K1)));
  StartRequestStore store;

  @BeforeAll
  void store() {
    store = new StartRequestStore(pool, box, Duration.ofHours(24), Duration.ofMinutes(2));
  }

  private StartRequestStore.Claim claim(String tenant, String key, String customer, String provider) throws Exception {
    return await(store.claim(tenant, key, customer, provider));
  }

  /** Moves a key's claim back in time, as if it had been made {@code seconds} ago. */
  private void age(String tenant, String key, long seconds) throws Exception {
    await(pool.preparedQuery("UPDATE start_requests SET created_at = now() - make_interval(secs => $3)"
        + " WHERE tenant_id = $1 AND idempotency_key = $2").execute(Tuple.of(tenant, key, (double) seconds)));
  }

  @Test
  void theFirstClaimOwnsTheKeyAndItsAnswerIsReplayed() throws Exception {
    assertThat(claim("t1", "k-a", "c1", "p100")).isInstanceOf(StartRequestStore.Owned.class);
    assertThat(claim("t1", "k-a", "c1", "p100")).isInstanceOf(StartRequestStore.InProgress.class);
    JsonObject answer = new JsonObject().put("verificationId", "v-1").put("clientSecret", "cs_secret_value");
    await(store.complete("t1", "k-a", answer));
    Claim again = claim("t1", "k-a", "c1", "p100");
    assertThat(again).isEqualTo(new StartRequestStore.Replay(answer));
    assertThat(claim("t1", "k-a", "c2", "p100")).isInstanceOf(StartRequestStore.Mismatch.class);
    assertThat(claim("t1", "k-a", "c1", "ondato")).isInstanceOf(StartRequestStore.Mismatch.class);
    assertThat(claim("t2", "k-a", "c9", "ondato")).as("keys are per tenant").isInstanceOf(StartRequestStore.Owned.class);
  }

  @Test
  void aReleasedClaimCanBeClaimedAgainButAnAnswerIsNotReleased() throws Exception {
    assertThat(claim("t1", "k-r", "c1", "p100")).isInstanceOf(StartRequestStore.Owned.class);
    await(store.release("t1", "k-r"));
    assertThat(claim("t1", "k-r", "c1", "p100")).isInstanceOf(StartRequestStore.Owned.class);
    await(store.complete("t1", "k-r", new JsonObject().put("verificationId", "v-2")));
    await(store.release("t1", "k-r"));
    assertThat(claim("t1", "k-r", "c1", "p100")).isInstanceOf(StartRequestStore.Replay.class);
  }

  @Test
  void anAbandonedClaimIsTakenOverAndAnExpiredKeyStartsAfresh() throws Exception {
    assertThat(claim("t1", "k-x", "c1", "p100")).isInstanceOf(StartRequestStore.Owned.class);
    age("t1", "k-x", 60);
    assertThat(claim("t1", "k-x", "c1", "p100")).as("still within the provider call's time").isInstanceOf(
        StartRequestStore.InProgress.class);
    age("t1", "k-x", 121);
    assertThat(claim("t1", "k-x", "c1", "p100")).isInstanceOf(StartRequestStore.Owned.class);

    await(store.complete("t1", "k-x", new JsonObject().put("verificationId", "v-3")));
    age("t1", "k-x", 3_600);
    assertThat(claim("t1", "k-x", "c1", "p100")).as("an answer is not abandoned").isInstanceOf(
        StartRequestStore.Replay.class);
    age("t1", "k-x", 24 * 3_600 + 1);
    assertThat(claim("t1", "k-x", "c5", "ripio")).as("past retention the key is new").isInstanceOf(
        StartRequestStore.Owned.class);
  }

  @Test
  void purgeDeletesOnlyThisTenantsKeysPastRetention() throws Exception {
    claim("t3", "old", "c1", "p100");
    claim("t3", "new", "c1", "p100");
    claim("t4", "old", "c1", "p100");
    age("t3", "old", 24 * 3_600 + 1);
    age("t4", "old", 24 * 3_600 + 1);
    assertThat(await(store.purge("t3"))).isEqualTo(1);
    assertThat(await(pool.query("SELECT tenant_id || '/' || idempotency_key FROM start_requests"
        + " WHERE tenant_id IN ('t3', 't4') ORDER BY 1").execute()).iterator().next().getString(0)).isEqualTo("t3/new");
  }
}
