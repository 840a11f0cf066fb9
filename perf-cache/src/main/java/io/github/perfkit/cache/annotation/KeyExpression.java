package io.github.perfkit.cache.annotation;

import io.github.perfkit.cache.CacheKeys;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * A key template: literal text with references {@code #<parameter>} ({@code #0} by position, or
 * {@code #name} when compiled with {@code -parameters}) optionally followed by properties
 * {@code .prop} (a record component, {@code getProp()}/{@code isProp()}, or a public no-argument
 * method {@code prop()}). Nothing else is evaluated: no method arguments, no operators, no type
 * references. Parsed once and checked against the method; immutable and thread-safe.
 *
 * <pre>{@code
 * KeyExpression.parse("user:#user.id:orders", method).evaluate(args, false);
 * }</pre>
 */
public final class KeyExpression {

    private static final int MAX_DEPTH = 4;

    private final List<Object> parts;
    private final int parameterCount;

    private KeyExpression(List<Object> parts, int parameterCount) {
        this.parts = List.copyOf(parts);
        this.parameterCount = parameterCount;
    }

    private record Ref(int index, List<String> properties) {
    }

    /**
     * Parses an expression for a method.
     *
     * @param expression the template; empty means every argument joined with {@code ':'}
     * @param method the method whose parameters it refers to
     * @return the parsed expression
     * @throws IllegalArgumentException if it refers to an unknown parameter or is malformed
     */
    public static KeyExpression parse(String expression, Method method) {
        Objects.requireNonNull(expression, "expression");
        Objects.requireNonNull(method, "method");
        Parameter[] params = method.getParameters();
        List<Object> parts = new ArrayList<>();
        if (expression.isEmpty()) {
            for (int i = 0; i < params.length; i++) {
                if (i > 0) {
                    parts.add(":");
                }
                parts.add(new Ref(i, List.of()));
            }
            return new KeyExpression(parts, params.length);
        }
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < expression.length()) {
            char c = expression.charAt(i);
            if (c != '#') {
                literal.append(c);
                i++;
                continue;
            }
            if (literal.length() > 0) {
                parts.add(literal.toString());
                literal.setLength(0);
            }
            int start = ++i;
            while (i < expression.length() && Character.isJavaIdentifierPart(expression.charAt(i))) {
                i++;
            }
            String name = expression.substring(start, i);
            if (name.isEmpty()) {
                throw new IllegalArgumentException("'#' at index " + (start - 1) + " of '" + expression
                        + "' must be followed by a parameter index or name");
            }
            int index = indexOf(name, params, expression, method);
            List<String> props = new ArrayList<>();
            while (i + 1 < expression.length() && expression.charAt(i) == '.'
                    && Character.isJavaIdentifierStart(expression.charAt(i + 1))) {
                int s = ++i;
                while (i < expression.length() && Character.isJavaIdentifierPart(expression.charAt(i))) {
                    i++;
                }
                props.add(expression.substring(s, i));
            }
            if (props.size() > MAX_DEPTH) {
                throw new IllegalArgumentException("'" + expression + "' nests more than " + MAX_DEPTH + " properties");
            }
            parts.add(new Ref(index, props));
        }
        if (literal.length() > 0) {
            parts.add(literal.toString());
        }
        return new KeyExpression(parts, params.length);
    }

    private static int indexOf(String name, Parameter[] params, String expression, Method method) {
        if (Character.isDigit(name.charAt(0))) {
            int index;
            try {
                index = Integer.parseInt(name);
            } catch (NumberFormatException e) {
                index = -1;
            }
            if (index < 0 || index >= params.length) {
                throw new IllegalArgumentException("'" + expression + "' refers to #" + name + " but "
                        + method.getName() + " has " + params.length + " parameters");
            }
            return index;
        }
        for (int p = 0; p < params.length; p++) {
            if (params[p].isNamePresent() && params[p].getName().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("'" + expression + "' refers to #" + name + ", which is not a parameter of "
                + method.getName() + " (compile with -parameters or use #0, #1, ...)");
    }

    /**
     * Evaluates the expression.
     *
     * @param args the invocation's arguments
     * @param escapeGlob whether substituted values are glob-escaped (for patterns)
     * @return the key or pattern
     * @throws IllegalArgumentException if a property cannot be read
     */
    public String evaluate(@Nullable Object[] args, boolean escapeGlob) {
        if (args.length != parameterCount) {
            throw new IllegalArgumentException("expected " + parameterCount + " arguments, got " + args.length);
        }
        StringBuilder sb = new StringBuilder();
        for (Object part : parts) {
            if (part instanceof Ref ref) {
                Object value = args[ref.index()];
                for (String prop : ref.properties()) {
                    value = read(value, prop);
                }
                String text = String.valueOf(value);
                sb.append(escapeGlob ? CacheKeys.escapeGlob(text) : text);
            } else {
                sb.append((String) part);
            }
        }
        return sb.toString();
    }

    private static @Nullable Object read(@Nullable Object target, String prop) {
        if (target == null) {
            return null;
        }
        String cap = prop.substring(0, 1).toUpperCase(Locale.ROOT) + prop.substring(1);
        for (String name : new String[] {prop, "get" + cap, "is" + cap}) {
            try {
                Method m = target.getClass().getMethod(name);
                if (m.getReturnType() == void.class || Modifier.isStatic(m.getModifiers())) {
                    continue;
                }
                return m.invoke(target);
            } catch (NoSuchMethodException e) {
                // try the next accessor form
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalArgumentException("cannot read property '" + prop + "' of a "
                        + target.getClass().getName(), e);
            }
        }
        throw new IllegalArgumentException("a " + target.getClass().getName() + " has no public property '" + prop + "'");
    }

    @Override
    public String toString() {
        StringJoiner j = new StringJoiner("");
        for (Object part : parts) {
            j.add(part instanceof Ref ref ? "#" + ref.index() + (ref.properties().isEmpty() ? ""
                    : "." + String.join(".", ref.properties())) : (String) part);
        }
        return j.toString();
    }
}
