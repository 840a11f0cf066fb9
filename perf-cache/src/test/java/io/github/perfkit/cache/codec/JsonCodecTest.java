package io.github.perfkit.cache.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JsonCodecTest {

    /** Counts instantiations: a type that must never be created from a payload. */
    public static final class Gadget {
        static final AtomicInteger CREATED = new AtomicInteger();
        public String cmd = "";

        public Gadget() {
            CREATED.incrementAndGet();
        }
    }

    /** An allowed value type. */
    public record User(long id, String name) {
    }

    /** A base type with one allowed subtype. */
    public static class Shape {
        public int size;
    }

    /** The allowed subtype. */
    public static final class Square extends Shape {
        public int side;
    }

    private final JsonCodec<User> codec = JsonCodec.of(User.class);

    @BeforeEach
    void reset() {
        Gadget.CREATED.set(0);
    }

    @Test
    void roundTrips() {
        User u = new User(42, "Ada");
        assertThat(codec.decode(codec.encode(u))).isEqualTo(u);
        Square s = new Square();
        s.side = 3;
        JsonCodec<Shape> shapes = JsonCodec.of(Shape.class, List.of(Square.class));
        assertThat(((Square) shapes.decode(shapes.encode(s))).side).isEqualTo(3);
        assertThatThrownBy(() -> shapes.encode(new Shape())).isInstanceOf(CodecException.class)
                .hasMessageContaining("not in the codec's allowlist");
    }

    @Test
    void payloadsNamingOtherTypesAreRejectedWithoutInstantiation() {
        for (String payload : List.of(
                "{\"t\":\"" + Gadget.class.getName() + "\",\"v\":{\"cmd\":\"x\"}}",
                "{\"t\":\"java.net.URL\",\"v\":\"http://example.com\"}",
                "{\"@class\":\"" + Gadget.class.getName() + "\",\"cmd\":\"x\"}",
                "[\"" + Gadget.class.getName() + "\",{\"cmd\":\"x\"}]",
                "{\"t\":\"com.sun.rowset.JdbcRowSetImpl\",\"v\":{\"dataSourceName\":\"ldap://x\"}}",
                "{\"t\":\"" + User.class.getName() + "\",\"v\":{\"id\":1,\"name\":\"a\",\"@class\":\""
                        + Gadget.class.getName() + "\"}}")) {
            assertThatThrownBy(() -> codec.decode(payload.getBytes(StandardCharsets.UTF_8)))
                    .as(payload).isInstanceOf(CodecException.class);
        }
        assertThat(Gadget.CREATED).hasValue(0);
    }

    @Test
    void javaSerializationAndGarbageAreRejected() {
        assertThatThrownBy(() -> codec.decode(new byte[] {(byte) 0xAC, (byte) 0xED, 0, 5, 0x73, 0x72}))
                .isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> codec.decode("{\"t\":".getBytes(StandardCharsets.UTF_8))).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> codec.decode(new byte[0])).isInstanceOf(CodecException.class);
    }

    @Test
    void allowlistMustNameConcreteRelatedTypes() {
        assertThatThrownBy(() -> JsonCodec.of(Object.class)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsonCodec.of(Runnable.class)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsonCodec.of(Shape.class, List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void genericTypesRoundTripAndTheDeclaredTypeIsTheAllowlist() {
        JsonCodec<List<User>> users = JsonCodec.of(new TypeReference<List<User>>() { });
        List<User> value = List.of(new User(1, "Ada"), new User(2, "Alan"));
        byte[] bytes = users.encode(value);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\"t\":\"java.util.List<" + User.class.getName() + ">\"");
        List<User> decoded = users.decode(bytes);
        assertThat(decoded).containsExactlyElementsOf(value);
        assertThat(decoded.get(0)).isInstanceOf(User.class);

        JsonCodec<Map<String, List<User>>> nested = JsonCodec.of(new TypeReference<Map<String, List<User>>>() { });
        Map<String, List<User>> map = Map.of("team", value);
        assertThat(nested.decode(nested.encode(map))).isEqualTo(map);

        // Only the declared type: a payload naming the element type, another type or a gadget is rejected.
        for (String payload : List.of(
                "{\"t\":\"" + User.class.getName() + "\",\"v\":{\"id\":1,\"name\":\"a\"}}",
                "{\"t\":\"java.util.List<" + Gadget.class.getName() + ">\",\"v\":[{\"cmd\":\"x\"}]}",
                "{\"t\":\"java.util.List<" + User.class.getName() + ">\",\"v\":[{\"@class\":\""
                        + Gadget.class.getName() + "\",\"cmd\":\"x\"}]}",
                "{\"t\":\"java.util.List<" + User.class.getName() + ">\",\"v\":[[\"" + Gadget.class.getName()
                        + "\",{\"cmd\":\"x\"}]]}")) {
            assertThatThrownBy(() -> users.decode(payload.getBytes(StandardCharsets.UTF_8)))
                    .as(payload).isInstanceOf(CodecException.class);
        }
        assertThat(Gadget.CREATED).hasValue(0);
        assertThatThrownBy(() -> ((JsonCodec) users).encode(new User(1, "not a list")))
                .isInstanceOf(CodecException.class).hasMessageContaining("is not a java.util.List<");
    }

    @Test
    void genericTypesMustNotLeaveTheElementTypeOpen() {
        assertThatThrownBy(() -> JsonCodec.of(new TypeReference<List<Object>>() { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.Object");
        assertThatThrownBy(() -> JsonCodec.of(new TypeReference<Map<String, Number>>() { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.Number");
        assertThatThrownBy(() -> JsonCodec.of(new TypeReference<List<java.io.Serializable>>() { }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsonCodec.of(new TypeReference<List<?>>() { }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(JsonCodec.of(new TypeReference<Map<String, Square>>() { })).isNotNull();
        assertThat(JsonCodec.of(new TypeReference<long[]>() { })).isNotNull();
    }
}
