/**
 * Value codecs: the {@link io.github.perfkit.cache.codec.Codec} SPI and a JSON codec with an explicit type allowlist.
 */
@NullMarked
package io.github.perfkit.cache.codec;

import org.jspecify.annotations.NullMarked;
