package io.github.perfkit.alerts;

import java.util.Locale;

/**
 * Comparison of a value with a threshold.
 *
 * <p>Thread-safe: an immutable enum.
 */
public enum Comparison {
    /** {@code value > threshold}. */
    GT(">"),
    /** {@code value >= threshold}. */
    GE(">="),
    /** {@code value < threshold}. */
    LT("<"),
    /** {@code value <= threshold}. */
    LE("<=");

    private final String symbol;

    Comparison(String symbol) {
        this.symbol = symbol;
    }

    /** @return the operator symbol, e.g. {@code >=} */
    public String symbol() {
        return symbol;
    }

    /**
     * Tests a value.
     *
     * @param value the value
     * @param threshold the threshold
     * @return whether {@code value <op> threshold}; false for NaN
     */
    public boolean test(double value, double threshold) {
        return switch (this) {
            case GT -> value > threshold;
            case GE -> value >= threshold;
            case LT -> value < threshold;
            case LE -> value <= threshold;
        };
    }

    /**
     * Parses a symbol ({@code >}, {@code >=}, {@code <}, {@code <=}) or a name ({@code gt}, {@code ge}...).
     *
     * @param text the text
     * @return the comparison
     * @throws IllegalArgumentException if the text is neither
     */
    public static Comparison parse(String text) {
        String t = text.trim();
        for (Comparison c : values()) {
            if (c.symbol.equals(t) || c.name().equals(t.toUpperCase(Locale.ROOT))) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown comparison '" + text + "', expected one of >, >=, <, <=");
    }
}
