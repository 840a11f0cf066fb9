/**
 * Implementation of the JDBC wrapper: dynamic proxies, statement shapes and the statistics they feed.
 */
@NullMarked
package io.github.perfkit.core.internal.jdbc;

import org.jspecify.annotations.NullMarked;
