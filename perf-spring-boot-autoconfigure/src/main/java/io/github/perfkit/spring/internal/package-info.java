/** Implementation of the Spring Boot integration; not an API. */
@NullMarked
package io.github.perfkit.spring.internal;

import org.jspecify.annotations.NullMarked;
