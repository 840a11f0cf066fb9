package io.github.perfkit.cache.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.TypeFactory;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * JSON codec (Jackson) with an explicit allowlist of value types. Each payload is an envelope
 * {@code {"t":"<allowed type name>","v":<value>}}; the type name is looked up in the allowlist —
 * never resolved with {@code Class.forName} — so a payload naming any other type is rejected before
 * anything is instantiated. Default typing is never enabled, and annotated polymorphism is limited
 * to allowlisted types.
 *
 * <p>Generic values ({@code List<User>}, {@code Map<String, User>}) use {@link #of(TypeReference)}:
 * the one declared type is the allowlist — the envelope names its canonical form and every type it
 * contains must be a concrete class or a collection/map/array/optional of one (never {@code Object}, an
 * interface or an abstract class), so a payload can only ever build the declared shape.
 *
 * <pre>{@code
 * JsonCodec<List<User>> codec = JsonCodec.of(new TypeReference<List<User>>() { });
 * }</pre>
 *
 * <p>Immutable; thread-safe.
 *
 * @param <V> the value type
 */
public final class JsonCodec<V> implements Codec<V> {

    private static final String TYPE = "t";
    private static final String VALUE = "v";

    private final ObjectMapper mapper;
    private final Map<String, Class<? extends V>> allowed;
    private final Map<String, JavaType> allowedTypes;
    /** The declared generic type of a codec made by {@link #of(TypeReference)}, else null. */
    private final @Nullable JavaType declared;
    private final String declaredName;

    private JsonCodec(JavaType type) {
        Set<Class<?>> leaves = new LinkedHashSet<>();
        checkGeneric(type, type, leaves);
        this.allowed = Map.of();
        this.allowedTypes = Map.of();
        this.declared = type;
        this.declaredName = type.toCanonical();
        this.mapper = mapper(leaves);
    }

    private JsonCodec(Class<V> baseType, Collection<Class<? extends V>> types) {
        Objects.requireNonNull(baseType, "baseType");
        Objects.requireNonNull(types, "types");
        Map<String, Class<? extends V>> map = new LinkedHashMap<>();
        for (Class<? extends V> t : types) {
            Objects.requireNonNull(t, "types element");
            if (t == Object.class || t.isInterface() || Modifier.isAbstract(t.getModifiers()) || t.isArray()) {
                throw new IllegalArgumentException("allowlisted types must be concrete classes, not " + t.getName());
            }
            if (!baseType.isAssignableFrom(t)) {
                throw new IllegalArgumentException(t.getName() + " is not a " + baseType.getName());
            }
            map.put(t.getName(), t);
        }
        if (map.isEmpty()) {
            throw new IllegalArgumentException("types must name at least one allowed type");
        }
        this.allowed = Map.copyOf(map);
        this.declared = null;
        this.declaredName = "";
        this.mapper = mapper(map.values());
        Map<String, JavaType> jt = new LinkedHashMap<>();
        map.forEach((n, c) -> jt.put(n, mapper.constructType(c)));
        this.allowedTypes = Map.copyOf(jt);
    }

    private static ObjectMapper mapper(Collection<? extends Class<?>> allowedTypes) {
        BasicPolymorphicTypeValidator.Builder ptv = BasicPolymorphicTypeValidator.builder();
        allowedTypes.forEach(ptv::allowIfSubType);
        return JsonMapper.builder()
                .polymorphicTypeValidator(ptv.build())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    /**
     * Accepts a generic type only if everything it can build is named by it: containers (collections,
     * maps, arrays, optionals) of concrete classes, recursively; collects the concrete classes.
     */
    private static void checkGeneric(JavaType root, JavaType t, Set<Class<?>> leaves) {
        if (t.isContainerType() || t.isReferenceType()) {
            JavaType key = t.getKeyType();
            if (key != null) {
                checkGeneric(root, key, leaves);
            }
            checkGeneric(root, t.getContentType(), leaves);
            return;
        }
        Class<?> raw = t.getRawClass();
        // (Primitive classes report themselves abstract.)
        if (raw == Object.class || raw.isInterface() || (!raw.isPrimitive() && Modifier.isAbstract(raw.getModifiers()))) {
            throw new IllegalArgumentException("type " + root.toCanonical() + " contains " + raw.getName()
                    + ": every type in it must be a concrete class or a collection, map, array or optional of one");
        }
        leaves.add(raw);
        for (int i = 0; i < t.containedTypeCount(); i++) {
            JavaType param = t.containedType(i);
            if (param != null) {
                checkGeneric(root, param, leaves);
            }
        }
    }

    /**
     * A codec for exactly one concrete type.
     *
     * @param type the value type
     * @param <V> the value type
     * @return the codec
     * @throws IllegalArgumentException if {@code type} is not a concrete class
     */
    public static <V> JsonCodec<V> of(Class<V> type) {
        return new JsonCodec<>(type, List.of(type));
    }

    /**
     * A codec for a base type and an explicit list of its concrete subtypes.
     *
     * @param baseType the declared value type
     * @param allowedTypes the concrete types that may be written and read
     * @param <V> the value type
     * @return the codec
     * @throws IllegalArgumentException if the list is empty or names a non-concrete or unrelated type
     */
    public static <V> JsonCodec<V> of(Class<V> baseType, Collection<Class<? extends V>> allowedTypes) {
        return new JsonCodec<>(baseType, allowedTypes);
    }

    /**
     * A codec for one generic type, such as {@code List<User>}: the declared type is the allowlist.
     *
     * @param type the value type, e.g. {@code new TypeReference<List<User>>() { }}
     * @param <V> the value type
     * @return the codec
     * @throws IllegalArgumentException if the type contains {@code Object}, an interface or an abstract
     *         class other than a collection, map or optional
     */
    public static <V> JsonCodec<V> of(TypeReference<V> type) {
        Objects.requireNonNull(type, "type");
        return new JsonCodec<>(TypeFactory.defaultInstance().constructType(type));
    }

    /**
     * As {@link #of(TypeReference)} for a type built with Jackson's {@link TypeFactory}.
     *
     * @param type the value type; {@code V} must be the type it describes
     * @param <V> the value type
     * @return the codec
     * @throws IllegalArgumentException if the type contains {@code Object}, an interface or an abstract
     *         class other than a collection, map or optional
     */
    public static <V> JsonCodec<V> of(JavaType type) {
        return new JsonCodec<>(Objects.requireNonNull(type, "type"));
    }

    @Override
    public byte[] encode(V value) {
        Objects.requireNonNull(value, "value");
        String name;
        if (declared != null) {
            name = declaredName;
            if (!declared.getRawClass().isInstance(value)) {
                throw new CodecException("a " + value.getClass().getName() + " is not a " + name);
            }
        } else {
            name = value.getClass().getName();
            if (allowed.get(name) != value.getClass()) {
                throw new CodecException("type " + name + " is not in the codec's allowlist");
            }
        }
        ObjectNode envelope = mapper.createObjectNode();
        envelope.put(TYPE, name);
        envelope.set(VALUE, mapper.valueToTree(value));
        try {
            return mapper.writeValueAsBytes(envelope);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new CodecException("cannot encode a " + name, e);
        }
    }

    @Override
    public V decode(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        JsonNode root;
        try {
            // A tree holds only JSON nodes: nothing payload-chosen is instantiated at this step.
            root = mapper.readTree(bytes);
        } catch (IOException e) {
            throw new CodecException("malformed JSON payload", e);
        }
        if (root == null || !root.isObject() || root.size() != 2 || !root.path(TYPE).isTextual()
                || !root.has(VALUE)) {
            throw new CodecException("payload is not a {\"t\":..,\"v\":..} envelope");
        }
        String name = root.get(TYPE).asText();
        JavaType type;
        if (declared != null) {
            type = name.equals(declaredName) ? declared : null;
        } else {
            type = allowedTypes.get(name);
        }
        if (type == null) {
            throw new CodecException("payload names type " + truncate(name) + ", which is not in the allowlist");
        }
        try {
            V value = mapper.treeToValue(root.get(VALUE), type);
            if (value == null) {
                throw new CodecException("payload value is null");
            }
            return value;
        } catch (JsonProcessingException | RuntimeException e) {
            // Includes failures of the allowed type's own constructor checks.
            throw e instanceof CodecException ce ? ce : new CodecException("cannot decode a " + name, e);
        }
    }

    private static String truncate(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "...";
    }
}
