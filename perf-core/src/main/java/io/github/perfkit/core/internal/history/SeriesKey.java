package io.github.perfkit.core.internal.history;

import io.micrometer.core.instrument.Tags;

/** Identity of a series. Thread-safe (immutable). */
record SeriesKey(String name, Tags tags) {}
