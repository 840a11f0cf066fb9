/** Rules from YAML or JSON files, and the shipped default rule set (the only package using Jackson for rules). */
@NullMarked
package io.github.perfkit.alerts.config;

import org.jspecify.annotations.NullMarked;
