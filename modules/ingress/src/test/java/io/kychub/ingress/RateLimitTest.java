package io.kychub.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A tenant over its webhook rate gets 429 with Retry-After; another tenant is not affected, and
 * only authenticated deliveries count against the rate.
 */
class RateLimitTest {

  private static IngressHarness ingress;

  @BeforeAll
  static void start() throws Exception {
    ingress = IngressHarness.start(RateLimitTest.class, IngressHarness.Limits.defaults().withTenantRate(10));
    ingress.tenant("noisy", "noisy-secret-0123456789");
    ingress.tenant("quiet", "quiet-secret-0123456789");
    ingress.tenant("targeted", "targeted-secret-0123456789");
  }

  @AfterAll
  static void stop() throws Exception {
    ingress.close();
  }

  @Test
  void aTenantOverItsRateGets429AndOthersDoNot() throws Exception {
    List<Future<HttpResponse<Buffer>>> burst = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      String body = new JsonObject().put("externalUserId", "rl-" + i).put("verificationStatus", "VERIFIED").encode();
      MultiMap headers = MultiMap.caseInsensitiveMultiMap();
      IngressHarness.signed("p100", "noisy-secret-0123456789", body).forEach(headers::add);
      burst.add(ingress.http.postAbs(ingress.base() + "/webhooks/noisy/p100").putHeaders(headers).sendBuffer(Buffer.buffer(body)));
    }
    Future.join(new ArrayList<>(burst)).await(30, java.util.concurrent.TimeUnit.SECONDS);
    long limited = burst.stream().filter(f -> f.result().statusCode() == 429).count();
    long accepted = burst.stream().filter(f -> f.result().statusCode() == 200).count();
    assertThat(limited).isGreaterThan(0);
    assertThat(accepted).isGreaterThan(0).isLessThanOrEqualTo(20);
    HttpResponse<Buffer> one = burst.stream().map(Future::result).filter(r -> r.statusCode() == 429).findFirst().orElseThrow();
    assertThat(one.getHeader("retry-after")).isEqualTo("1");
    assertThat(one.bodyAsJsonObject().getString("error")).isEqualTo("rate_limited");
    assertThat(ingress.count("SELECT count(*) FROM inbox WHERE tenant_id = 'noisy'")).isEqualTo(accepted);

    String quiet = new JsonObject().put("externalUserId", "q-1").put("verificationStatus", "VERIFIED").encode();
    assertThat(ingress.signedWebhook("quiet", "p100", "quiet-secret-0123456789", quiet).statusCode()).isEqualTo(200);
  }

  @Test
  void forgedWebhooksTakeNoneOfTheTenantsRate() throws Exception {
    // Three times the tenant's rate in forgeries, under the source's failure limit (50 a second).
    for (int i = 0; i < 30; i++) {
      String body = new JsonObject().put("externalUserId", "forged-" + i).put("verificationStatus", "VERIFIED").encode();
      assertThat(ingress.signedWebhook("targeted", "p100", "not-the-secret", body).statusCode()).isEqualTo(401);
    }

    String real = new JsonObject().put("externalUserId", "t-1").put("verificationStatus", "VERIFIED").encode();
    assertThat(ingress.signedWebhook("targeted", "p100", "targeted-secret-0123456789", real).statusCode()).isEqualTo(200);
  }
}
