/**
 * Web helpers on top of a {@link io.github.perfkit.cache.MultilevelCache}: caching of idempotent GET
 * responses that respects {@code Cache-Control} and {@code ETag}, and a session-data store.
 * Framework-neutral (no servlet dependency): adapters pass methods, URIs and header values.
 */
@NullMarked
package io.github.perfkit.cache.web;

import org.jspecify.annotations.NullMarked;
