package io.github.perfkit.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.core.internal.jdbc.SqlShapes;

import org.junit.jupiter.api.Test;

class SqlShapesTest {

    private static String shape(String sql) {
        return SqlShapes.normalize(sql, 2000);
    }

    @Test
    void literalsAndParametersBecomePlaceholders() {
        assertThat(shape("SELECT * FROM orders WHERE id = 42 AND status = 'PAID' AND total > -3.5e2"))
                .isEqualTo("select * from orders where id = ? and status = ? and total > ?");
        assertThat(shape("select * from t where a = ? and b = :name and c = $1 and d = 0x1F and e = TRUE"))
                .isEqualTo("select * from t where a = ? and b = ? and c = ? and d = ? and e = ?");
        assertThat(shape("select * from t where name = 'O''Brien'")).isEqualTo("select * from t where name = ?");
    }

    @Test
    void differentLiteralsGiveTheSameShape() {
        assertThat(shape("select name from customers where id = 1"))
                .isEqualTo(shape("SELECT  name\n FROM customers\tWHERE id=  999"));
    }

    @Test
    void inListsAndMultiRowValuesCollapse() {
        assertThat(shape("select * from t where id in (1, 2, 3, 4)")).isEqualTo("select * from t where id in (?)");
        assertThat(shape("select * from t where id IN ( ?,?,? )")).isEqualTo("select * from t where id in (?)");
        assertThat(shape("insert into t (a, b) values (1, 'x'), (2, 'y'), (3, 'z')"))
                .isEqualTo("insert into t (a, b) values (?, ?)");
    }

    @Test
    void whitespaceCaseAndCommentsAreNormalised() {
        assertThat(shape("  SELECT /* hint */ Id,Name -- trailing\n FROM \"MixedCase\" ; "))
                .isEqualTo("select id, name from \"MixedCase\"");
    }

    @Test
    void identifiersWithDigitsAreKept() {
        assertThat(shape("select col1, t2.x from table3 t2 where t2.col1 = 5"))
                .isEqualTo("select col1, t2.x from table3 t2 where t2.col1 = ?");
    }

    @Test
    void longShapesAreCapped() {
        String sql = "select " + "a_column, ".repeat(100) + "b from t";
        String s = SqlShapes.normalize(sql, 64);
        assertThat(s).hasSize(64).endsWith("...");
    }

    @Test
    void leadingWildcardAndFunctionOnColumnAreHinted() {
        String like = "select * from customers where name like '%son'";
        assertThat(SqlShapes.indexHints(like, shape(like))).containsExactly(SqlShapes.HINT_LEADING_WILDCARD);
        String fn = "select * from customers where lower(name) = 'x' order by id";
        assertThat(SqlShapes.indexHints(fn, shape(fn))).singleElement().asString().contains("lower(name)");
    }

    @Test
    void indexFriendlyShapesGetNoHint() {
        for (String sql : new String[] {"select * from customers where name like 'son%'",
                "select * from customers where id in (1, 2) and exists (select 1 from orders o where o.c = id)",
                "select lower(name) from customers where id = ?", "select * from t where a = coalesce(?, 1)"}) {
            assertThat(SqlShapes.indexHints(sql, shape(sql))).as(sql).isEmpty();
        }
    }
}
