package io.kychub.model;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * The one codec for event-bus messages: records travel as themselves inside a node and as JSON
 * between nodes.
 */
public final class RecordCodec<T> implements MessageCodec<T, T> {

  private final Class<T> type;
  private final Function<T, JsonObject> toJson;
  private final Function<JsonObject, T> fromJson;

  private RecordCodec(Class<T> type, Function<T, JsonObject> toJson, Function<JsonObject, T> fromJson) {
    this.type = type;
    this.toJson = toJson;
    this.fromJson = fromJson;
  }

  /** Registers the codec of every hub message on this event bus; safe to call more than once. */
  public static void registerAll(EventBus bus) {
    register(bus, new RecordCodec<>(InboundDelivery.class, InboundDelivery::toJson, InboundDelivery::fromJson));
    register(bus, new RecordCodec<>(UpdateBatch.class, UpdateBatch::toJson, UpdateBatch::fromJson));
    register(bus, new RecordCodec<>(StatusChangedEvent.class, StatusChangedEvent::toJson, StatusChangedEvent::fromJson));
    register(bus, new RecordCodec<>(CacheInvalidation.class, CacheInvalidation::toJson, CacheInvalidation::fromJson));
  }

  private static <T> void register(EventBus bus, RecordCodec<T> codec) {
    try {
      bus.registerDefaultCodec(codec.type, codec);
    } catch (IllegalStateException alreadyRegistered) {
      // another verticle of this Vert.x instance registered it first
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, T value) {
    Buffer json = toJson.apply(value).toBuffer();
    buffer.appendInt(json.length()).appendBuffer(json);
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return fromJson.apply(new JsonObject(buffer.getBuffer(pos + 4, pos + 4 + length)));
  }

  @Override
  public T transform(T value) {
    return value;
  }

  @Override
  public String name() {
    return "kyc." + type.getSimpleName();
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
