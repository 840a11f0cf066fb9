/**
 * JDBC monitoring: {@link io.github.perfkit.core.jdbc.PerfDataSource} wraps a {@code DataSource} to time connections, statements and result sets, count queries per request profile, flag N+1 statements and slow statements.
 */
@NullMarked
package io.github.perfkit.core.jdbc;

import org.jspecify.annotations.NullMarked;
