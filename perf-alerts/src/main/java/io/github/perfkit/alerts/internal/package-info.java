/** Implementation of the alert engine; not API. */
@NullMarked
package io.github.perfkit.alerts.internal;

import org.jspecify.annotations.NullMarked;
