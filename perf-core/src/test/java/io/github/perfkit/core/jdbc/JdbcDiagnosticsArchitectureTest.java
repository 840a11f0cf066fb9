package io.github.perfkit.core.jdbc;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the JDBC and diagnostics areas of perf-core self-contained: JDK APIs plus the hub, Micrometer and SLF4J
 * only (no driver, pool or other library), independent of each other, and used by no other area of perf-core.
 */
class JdbcDiagnosticsArchitectureTest {

    private static JavaClasses core;

    @BeforeAll
    static void importClasses() {
        core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.github.perfkit.core");
    }

    @Test
    void jdbcAndDiagnosticsUseOnlyTheJdkTheHubMicrometerAndSlf4j() {
        classes().that().resideInAnyPackage("io.github.perfkit.core.jdbc..", "io.github.perfkit.core.internal.jdbc..",
                        "io.github.perfkit.core.diagnostics..", "io.github.perfkit.core.internal.diagnostics..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "javax.sql..", "javax.management..",
                        "io.github.perfkit.core..", "io.micrometer.core..", "org.slf4j..", "org.jspecify..")
                .because("the JDBC wrapper uses java.sql only and diagnostics the JDK's management API (issue 7)")
                .check(core);
    }

    @Test
    void jdbcAndDiagnosticsAreIndependent() {
        noClasses().that().resideInAnyPackage("io.github.perfkit.core.jdbc..", "io.github.perfkit.core.internal.jdbc..")
                .should().dependOnClassesThat().resideInAnyPackage("io.github.perfkit.core.diagnostics..",
                        "io.github.perfkit.core.internal.diagnostics..")
                .check(core);
        noClasses().that().resideInAnyPackage("io.github.perfkit.core.diagnostics..",
                        "io.github.perfkit.core.internal.diagnostics..")
                .should().dependOnClassesThat().resideInAnyPackage("io.github.perfkit.core.jdbc..",
                        "io.github.perfkit.core.internal.jdbc..")
                .check(core);
    }

    @Test
    void noOtherAreaDependsOnThem() {
        // The continuous diagnosis is the one client: it compares heap histograms to name a leaking class.
        noClasses().that().resideOutsideOfPackages("io.github.perfkit.core.jdbc..",
                        "io.github.perfkit.core.internal.jdbc..", "io.github.perfkit.core.diagnostics..",
                        "io.github.perfkit.core.internal.diagnostics..", "io.github.perfkit.core.internal.findings..")
                .should().dependOnClassesThat().resideInAnyPackage("io.github.perfkit.core.jdbc..",
                        "io.github.perfkit.core.internal.jdbc..", "io.github.perfkit.core.diagnostics..",
                        "io.github.perfkit.core.internal.diagnostics..")
                .check(core);
        noClasses().that().resideInAPackage("io.github.perfkit.core.internal.findings..")
                .should().dependOnClassesThat().resideInAnyPackage("io.github.perfkit.core.jdbc..",
                        "io.github.perfkit.core.internal.jdbc..")
                .check(core);
    }

    @Test
    void theRulesSeeTheClassesTheyGuard() {
        assertThat(core.containPackage("io.github.perfkit.core.internal.jdbc")).isTrue();
        assertThat(core.containPackage("io.github.perfkit.core.internal.diagnostics")).isTrue();
    }
}
