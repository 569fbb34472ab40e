package io.kychub.providers.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kychub.providers.MalformedWebhookException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonFieldsTest {

  private final JsonObject json = new JsonObject(
      "{\"Payload\":{\"Status\":\"Approved\",\"count\":3},\"id\":\"x-1\",\"ID\":\"x-2\",\"Type\":\"T\",\"flag\":true,\"list\":[1]}");

  @Test
  void namesMatchIgnoringCase() {
    assertThat(JsonFields.text(JsonFields.object(json, "payload"), "status")).isEqualTo("Approved");
  }

  @Test
  void exactSpellingWinsOverOtherCasing() {
    assertThat(JsonFields.text(json, "id")).isEqualTo("x-1");
    assertThat(JsonFields.text(json, "ID")).isEqualTo("x-2");
    assertThat(JsonFields.text(json, "type")).isEqualTo("T");
  }

  @Test
  void firstNameWithAValueWins() {
    assertThat(JsonFields.text(json, "missing", "flag", "id")).isEqualTo("true");
  }

  @Test
  void scalarsBecomeTextAndContainersDoNot() {
    assertThat(JsonFields.text(JsonFields.object(json, "payload"), "count")).isEqualTo("3");
    assertThat(JsonFields.text(json, "flag")).isEqualTo("true");
    assertThat(JsonFields.text(json, "list")).isNull();
    assertThat(JsonFields.text(json, "payload")).isNull();
    assertThat(JsonFields.object(json, "list")).isNull();
  }

  @Test
  void nullObjectsReadAsAbsent() {
    assertThat(JsonFields.text(null, "id")).isNull();
    assertThat(JsonFields.object(null, "payload")).isNull();
  }

  @Test
  void parseErrorsNeverQuoteTheBody() {
    byte[] secretish = "{\"password\": \"hunter2\"".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> JsonFields.parseObject(secretish, "x"))
        .isInstanceOf(MalformedWebhookException.class)
        .message().doesNotContain("hunter2");
  }

  @Test
  void scalarJsonIsNotAnObject() {
    assertThatThrownBy(() -> JsonFields.parseObject("42".getBytes(StandardCharsets.UTF_8), "x"))
        .isInstanceOf(MalformedWebhookException.class)
        .hasMessage("x webhook body is not a JSON object");
  }
}
