package io.kychub.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kychub.model.ReusePolicy;
import io.kychub.model.Tenant;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;

class TenantStoreTest extends DatabaseTestBase {

  TenantStore store() {
    return new TenantStore(pool);
  }

  static Tenant tenant(String id) {
    return new Tenant(id, "Tenant " + id, true, ReusePolicy.DEFAULT, null);
  }

  @Test
  void createdTenantIsFoundWithItsSequenceRow() throws Exception {
    Tenant created = await(store().create(new Tenant("acme", "Acme", true, new ReusePolicy(true, false, 30), null)));
    assertThat(created.createdAt()).isNotNull();
    assertThat(await(store().find("acme"))).contains(created);
    long sequences = await(pool.preparedQuery("SELECT count(*) FROM tenant_sequences WHERE tenant_id = $1")
        .execute(Tuple.of("acme"))).iterator().next().getLong(0);
    assertThat(sequences).isEqualTo(1);
  }

  @Test
  void creatingAnExistingIdFailsWithConflict() throws Exception {
    await(store().create(tenant("twice")));
    assertThatThrownBy(() -> await(store().create(tenant("twice"))))
        .isInstanceOf(ConflictException.class);
  }

  @Test
  void updateChangesOnlyTheGivenFields() throws Exception {
    await(store().create(tenant("patchy")));
    Tenant renamed = await(store().update("patchy", "Renamed", null, null)).orElseThrow();
    assertThat(renamed.name()).isEqualTo("Renamed");
    assertThat(renamed.enabled()).isTrue();
    assertThat(renamed.reuse()).isEqualTo(ReusePolicy.DEFAULT);
    Tenant reuse = await(store().update("patchy", null, false, new ReusePolicy(true, true, 10))).orElseThrow();
    assertThat(reuse.name()).isEqualTo("Renamed");
    assertThat(reuse.enabled()).isFalse();
    assertThat(reuse.reuse()).isEqualTo(new ReusePolicy(true, true, 10));
  }

  @Test
  void updatingAnUnknownTenantGivesEmpty() throws Exception {
    assertThat(await(store().update("nobody", "x", null, null))).isEmpty();
  }

  @Test
  void disabledTenantIsStillListed() throws Exception {
    await(store().create(tenant("gone")));
    assertThat(await(store().disable("gone"))).isTrue();
    assertThat(await(store().disable("never-was"))).isFalse();
    assertThat(await(store().list())).anySatisfy(t -> {
      assertThat(t.id()).isEqualTo("gone");
      assertThat(t.enabled()).isFalse();
    });
  }
}
