package io.kychub.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The hub's keyed statements keep index plans whatever the statistics say. A prepared statement's
 * generic plan is made once and kept for the connection's life; the worst moment to make it is
 * when the statistics say the tables are empty (a fresh database after ANALYZE): without the
 * connection's planner settings ({@link Database#KEYED_PLANS}) PostgreSQL then hashes the whole
 * customers table for every customer lock, and keeps doing so as the table grows.
 */
class KeyedPlansTest extends DatabaseTestBase {

  private static final Pattern PARAM = Pattern.compile("\\$(\\d+)");

  @Test
  void everyHotStatementUsesIndexesEvenWhenTheTablesLookEmpty() throws Exception {
    Map<String, String> statements = new LinkedHashMap<>();
    statements.put("claim", GroupApply.CLAIM);
    statements.put("resolve references", GroupApply.RESOLVE_REFS);
    statements.put("lock customers", GroupApply.LOCK_CUSTOMERS);
    statements.put("insert customers", GroupApply.INSERT_CUSTOMERS);
    statements.put("latest verifications", GroupApply.LATEST_VERIFICATIONS);
    statements.put("insert verifications", GroupApply.INSERT_VERIFICATIONS);
    statements.put("update verifications", GroupApply.UPDATE_VERIFICATIONS);
    statements.put("update customers", GroupApply.UPDATE_CUSTOMERS);
    statements.put("insert events", GroupApply.INSERT_EVENTS);
    statements.put("lock reuse sources", GroupApply.LOCK_REUSE_SOURCES);
    statements.put("insert follow-ups", GroupApply.INSERT_FOLLOW_UPS);
    statements.put("sweep claim", InboxStore.CLAIM_UNAPPLIED);

    SqlConnection conn = await(pool.getConnection());
    try {
      await(conn.query("ANALYZE").execute());
      await(conn.query("SET plan_cache_mode = force_generic_plan").execute());
      int n = 0;
      for (Map.Entry<String, String> statement : statements.entrySet()) {
        String name = "keyed_" + n++;
        await(conn.query("PREPARE " + name + " AS " + statement.getValue()).execute());
        String plan = explain(conn, "EXPLAIN EXECUTE " + name + nulls(statement.getValue()));
        assertThat(plan).as(statement.getKey() + ":\n" + plan)
            .doesNotContain("Seq Scan", "Hash Join", "Merge Join", "Hash Semi Join", "Hash Anti Join");
        if (statement.getValue().equals(InboxStore.CLAIM_UNAPPLIED)) {
          // The candidates are picked once, not again for every row the outer scan returns.
          assertThat(plan).as(statement.getKey() + ":\n" + plan).contains("InitPlan");
        }
      }
    } finally {
      await(conn.close());
    }
  }

  @Test
  void everyConnectionOfThePoolCarriesTheSettings() throws Exception {
    List<Row> rows = new ArrayList<>();
    await(pool.query("SELECT name, setting FROM pg_settings WHERE name IN ('enable_seqscan', 'enable_hashjoin', "
        + "'enable_mergejoin') ORDER BY name").execute()).forEach(rows::add);
    assertThat(rows).extracting(r -> r.getString(0) + "=" + r.getString(1))
        .containsExactly("enable_hashjoin=off", "enable_mergejoin=off", "enable_seqscan=off");
  }

  private static String explain(SqlConnection conn, String sql) throws Exception {
    StringBuilder plan = new StringBuilder();
    await(conn.query(sql).execute()).forEach(r -> plan.append(r.getString(0)).append('\n'));
    return plan.toString();
  }

  /** {@code (NULL, NULL, ...)}: one per parameter; the generic plan does not look at the values. */
  private static String nulls(String sql) {
    int max = 0;
    Matcher m = PARAM.matcher(sql);
    while (m.find()) {
      max = Math.max(max, Integer.parseInt(m.group(1)));
    }
    return max == 0 ? "" : "(" + String.join(", ", java.util.Collections.nCopies(max, "NULL")) + ")";
  }
}
