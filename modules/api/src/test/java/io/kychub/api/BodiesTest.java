package io.kychub.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Operator API bodies as a route reads them (a body handler, then {@link Bodies#object}, its
 * failures answered by {@link PublicFailures}): a JSON object with only the fields the route takes.
 */
class BodiesTest {

  private static final List<String> KNOWN = List.of("documentCountry", "email");
  private static Vertx vertx;
  private static HttpServer server;
  private static WebClient client;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router.post("/body").handler(BodyHandler.create(false))
        .handler(ctx -> ctx.json(new JsonObject().put("read", Bodies.object(ctx, KNOWN))));
    router.route().failureHandler(PublicFailures::handle);
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    client = WebClient.create(vertx);
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static HttpResponse<Buffer> post(String body) throws Exception {
    var request = client.post(server.actualPort(), "127.0.0.1", "/body");
    return (body == null ? request.send() : request.sendBuffer(Buffer.buffer(body))).await(10, TimeUnit.SECONDS);
  }

  @Test
  void anEmptyBodyIsAnEmptyObject() throws Exception {
    for (String empty : new String[] {null, ""}) {
      HttpResponse<Buffer> r = post(empty);
      assertThat(r.statusCode()).as(String.valueOf(empty)).isEqualTo(200);
      assertThat(r.bodyAsJsonObject().getJsonObject("read")).isEqualTo(new JsonObject());
    }
  }

  @Test
  void aBodyWithOnlyKnownFieldsIsReadAsItIs() throws Exception {
    HttpResponse<Buffer> r = post("{\"documentCountry\":\"AR\",\"email\":null}");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getJsonObject("read"))
        .isEqualTo(new JsonObject().put("documentCountry", "AR").putNull("email"));
  }

  @Test
  void aBodyThatIsNotAJsonObjectIs400() throws Exception {
    for (String body : List.of("not json", "[{\"email\":\"a@b\"}]", "\"a string\"", "42", "{\"email\":")) {
      HttpResponse<Buffer> r = post(body);
      assertThat(r.statusCode()).as(body).isEqualTo(400);
      assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("bad_request");
      assertThat(r.bodyAsJsonObject().getString("message")).isEqualTo("the body must be a JSON object");
    }
  }

  @Test
  void anUnknownFieldIsNamedWithTheFieldsTheBodyTakes() throws Exception {
    HttpResponse<Buffer> r = post("{\"documentCountry\":\"AR\",\"passport\":\"X1\"}");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("bad_request");
    assertThat(r.bodyAsJsonObject().getString("message"))
        .isEqualTo("unknown field passport; this body takes documentCountry, email");
  }

  @Test
  void severalUnknownFieldsAreAllNamedInOrder() throws Exception {
    HttpResponse<Buffer> r = post("{\"zip\":1,\"email\":\"a@b\",\"age\":2}");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.bodyAsJsonObject().getString("message"))
        .isEqualTo("unknown fields age, zip; this body takes documentCountry, email");
  }
}
