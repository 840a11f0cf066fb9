package io.github.perfkit.core.internal.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Turns SQL text into its shape: comments, literals and parameters replaced by {@code ?}, IN-lists and
 * multi-row VALUES collapsed, whitespace collapsed and everything outside quoted identifiers lower-cased;
 * and spots shapes that defeat an index. Stateless, thread-safe.
 */
public final class SqlShapes {

    /** Hint for a LIKE pattern that starts with a wildcard. */
    public static final String HINT_LEADING_WILDCARD =
            "LIKE with a leading wildcard ('%...') cannot use a B-tree index: consider a full-text or trigram index,"
                    + " or a reversed-column index for suffix searches";
    /** Hint for a function applied to a column in WHERE. */
    public static final String HINT_FUNCTION_ON_COLUMN =
            "a function applied to a column in WHERE (%s) prevents the use of an index on that column: compare"
                    + " the bare column, or index the expression";

    private static final Pattern IN_LIST = Pattern.compile("\\bin \\(\\?(?:, \\?)+\\)");
    private static final Pattern VALUES_ROWS =
            Pattern.compile("\\bvalues (\\((?:\\?, )*\\?\\))(?:, \\((?:\\?, )*\\?\\))+");
    private static final Pattern LEADING_WILDCARD = Pattern.compile("(?i)\\blike\\s+N?'%");
    private static final Pattern WHERE_PART = Pattern.compile(
            "\\bwhere\\b(.*?)(?:\\border by\\b|\\bgroup by\\b|\\bhaving\\b|\\blimit\\b|\\bunion\\b|\\bfetch\\b|\\)\\s*$|$)");
    private static final Pattern FUNCTION_ON_IDENTIFIER =
            Pattern.compile("\\b([a-z_][a-z0-9_]*) ?\\( ?([a-z_][a-z0-9_.]*)\\b");
    private static final List<String> NOT_FUNCTIONS = List.of("in", "exists", "any", "all", "some", "and", "or",
            "not", "values", "select", "on", "where", "as", "then", "else", "when", "between", "like", "is");
    private static final List<String> NOT_COLUMNS =
            List.of("select", "distinct", "case", "null", "true", "false", "current_date", "current_timestamp");

    private SqlShapes() {}

    /**
     * The shape of {@code sql}, at most {@code maxLength} characters (longer shapes end with {@code ...}).
     *
     * @param sql the statement text
     * @param maxLength cap on the shape's length, at least 16
     * @return the normalised shape
     */
    public static String normalize(String sql, int maxLength) {
        StringBuilder out = new StringBuilder(Math.min(sql.length(), maxLength * 2) + 8);
        int n = sql.length();
        int i = 0;
        while (i < n && out.length() <= maxLength * 2) {
            char c = sql.charAt(i);
            if (c == '\'') {
                i = skipQuoted(sql, i, '\'');
                emitParam(out);
            } else if (c == '"' || c == '`') {
                int end = skipQuoted(sql, i, c);
                out.append(sql, i, end);
                i = end;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int nl = sql.indexOf('\n', i);
                i = nl < 0 ? n : nl + 1;
                space(out);
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                space(out);
            } else if (Character.isWhitespace(c)) {
                space(out);
                i++;
            } else if (Character.isDigit(c) && !identifierBefore(out)) {
                i = skipNumber(sql, i);
                emitParam(out);
            } else if (c == '?') {
                emitParam(out);
                i++;
            } else if (c == '$' && i + 1 < n && Character.isDigit(sql.charAt(i + 1)) && !identifierBefore(out)) {
                i = skipNumber(sql, i + 1);
                emitParam(out);
            } else if (c == ':' && i + 1 < n && Character.isLetter(sql.charAt(i + 1))
                    && (i == 0 || sql.charAt(i - 1) != ':')) {
                i++;
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
                    i++;
                }
                emitParam(out);
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_'
                        || sql.charAt(i) == '$')) {
                    i++;
                }
                String word = sql.substring(start, i).toLowerCase(Locale.ROOT);
                if (word.equals("true") || word.equals("false")) {
                    emitParam(out);
                } else {
                    out.append(word);
                }
            } else if (c == '=' || c == '<' || c == '>' || c == '!') {
                int start = i;
                while (i < n && "=<>!".indexOf(sql.charAt(i)) >= 0) {
                    i++;
                }
                space(out);
                out.append(sql, start, i).append(' ');
            } else if (c == ',' || c == ')') {
                trimSpace(out);
                out.append(c);
                if (c == ',') {
                    out.append(' ');
                }
                i++;
            } else if (c == '(') {
                out.append(c);
                i++;
                while (i < n && Character.isWhitespace(sql.charAt(i))) {
                    i++;
                }
            } else if (c == ';' && sql.substring(i + 1).isBlank()) {
                i = n;
            } else {
                out.append(c);
                i++;
            }
        }
        String s = out.toString().trim();
        s = s.replace("( ", "(").replace(",  ", ", ");
        s = IN_LIST.matcher(s).replaceAll("in (?)");
        s = VALUES_ROWS.matcher(s).replaceAll("values $1");
        if (s.length() > maxLength) {
            s = s.substring(0, maxLength - 3) + "...";
        }
        return s;
    }

    /**
     * Index hints for a statement.
     *
     * @param sql the raw statement text (literals still in place)
     * @param shape its normalised shape
     * @return human-readable hints, empty when nothing was spotted
     */
    public static List<String> indexHints(String sql, String shape) {
        List<String> hints = new ArrayList<>(2);
        if (LEADING_WILDCARD.matcher(sql).find()) {
            hints.add(HINT_LEADING_WILDCARD);
        }
        String fn = functionOnColumn(shape);
        if (fn != null) {
            hints.add(String.format(Locale.ROOT, HINT_FUNCTION_ON_COLUMN, fn));
        }
        return List.copyOf(hints);
    }

    /**
     * Whether a shape compares with {@code LIKE ?}, so a bound value starting with {@code %} defeats an index.
     *
     * @param shape a normalised shape
     * @return {@code true} when the shape has a parameterised LIKE
     */
    public static boolean hasParameterisedLike(String shape) {
        return shape.contains("like ?");
    }

    /**
     * Whether raw SQL compares with a literal LIKE pattern starting with a wildcard.
     *
     * @param sql raw statement text
     * @return {@code true} for {@code LIKE '%...'}
     */
    public static boolean hasLeadingWildcard(String sql) {
        return LEADING_WILDCARD.matcher(sql).find();
    }

    private static @Nullable String functionOnColumn(String shape) {
        Matcher where = WHERE_PART.matcher(shape);
        while (where.find()) {
            Matcher m = FUNCTION_ON_IDENTIFIER.matcher(where.group(1));
            while (m.find()) {
                String fn = m.group(1);
                String arg = m.group(2);
                if (!NOT_FUNCTIONS.contains(fn) && !NOT_COLUMNS.contains(arg)) {
                    return fn + "(" + arg + ")";
                }
            }
        }
        return null;
    }

    private static int skipQuoted(String sql, int i, char quote) {
        int n = sql.length();
        int j = i + 1;
        while (j < n) {
            if (sql.charAt(j) == quote) {
                if (j + 1 < n && sql.charAt(j + 1) == quote) {
                    j += 2;
                    continue;
                }
                return j + 1;
            }
            j++;
        }
        return n;
    }

    private static int skipNumber(String sql, int i) {
        int n = sql.length();
        int j = i;
        if (j + 1 < n && sql.charAt(j) == '0' && (sql.charAt(j + 1) == 'x' || sql.charAt(j + 1) == 'X')) {
            j += 2;
        }
        while (j < n) {
            char c = sql.charAt(j);
            if (Character.isLetterOrDigit(c) || c == '.') {
                j++;
            } else if ((c == '+' || c == '-') && (sql.charAt(j - 1) == 'e' || sql.charAt(j - 1) == 'E')) {
                j++;
            } else {
                break;
            }
        }
        return j;
    }

    private static boolean identifierBefore(StringBuilder out) {
        if (out.length() == 0) {
            return false;
        }
        char p = out.charAt(out.length() - 1);
        return Character.isLetterOrDigit(p) || p == '_' || p == '$';
    }

    private static void emitParam(StringBuilder out) {
        // "-?" from a negative literal after an operator or comma is still just a parameter
        int len = out.length();
        if (len >= 2 && out.charAt(len - 1) == '-' && "=<>(, ".indexOf(out.charAt(len - 2)) >= 0) {
            out.setLength(len - 1);
        }
        out.append('?');
    }

    private static void space(StringBuilder out) {
        if (out.length() > 0 && out.charAt(out.length() - 1) != ' ' && out.charAt(out.length() - 1) != '(') {
            out.append(' ');
        }
    }

    private static void trimSpace(StringBuilder out) {
        while (out.length() > 0 && out.charAt(out.length() - 1) == ' ') {
            out.setLength(out.length() - 1);
        }
    }
}
