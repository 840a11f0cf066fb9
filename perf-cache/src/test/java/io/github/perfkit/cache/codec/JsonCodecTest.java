package io.github.perfkit.cache.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
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
}
