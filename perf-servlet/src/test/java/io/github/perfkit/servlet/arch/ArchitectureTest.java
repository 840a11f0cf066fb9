package io.github.perfkit.servlet.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** Keeps DESIGN.md's module graph true for perf-servlet's main classes. */
class ArchitectureTest {

    private static JavaClasses servlet;

    @BeforeAll
    static void importClasses() {
        servlet = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.github.perfkit.servlet");
    }

    @Test
    void neverDependsOnSiblingModulesOrFrameworks() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "io.github.perfkit.cache..", "io.github.perfkit.alerts..", "io.github.perfkit.spring..",
                        "org.springframework..", "javax.servlet..")
                .because("perf-servlet shows cache and alert data only through perf-core's SPI (DESIGN.md)")
                .check(servlet);
    }

    @Test
    void neverUsesAnotherModulesInternals() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.github.perfkit.core.internal..")
                .check(servlet);
    }

    @Test
    void jacksonStaysInTheEndpoints() {
        noClasses().that().resideOutsideOfPackage("io.github.perfkit.servlet")
                .should().dependOnClassesThat().resideInAPackage("com.fasterxml.jackson..")
                .check(servlet);
        noClasses().that().doNotBelongToAnyOf(io.github.perfkit.servlet.PerfEndpointsServlet.class)
                .should().dependOnClassesThat().resideInAPackage("com.fasterxml.jackson..")
                .check(servlet);
    }

    @Test
    void publicApiNeverExposesInternalTypes() {
        methods().that().arePublic()
                .and().areDeclaredInClassesThat().resideOutsideOfPackage("..internal..")
                .and().areDeclaredInClassesThat().arePublic()
                .should().haveRawReturnType(notInternal())
                .check(servlet);
    }

    @Test
    void loggersArePrivateStaticFinal() {
        fields().that().haveRawType(Logger.class)
                .should().bePrivate().andShould().beStatic().andShould().beFinal()
                .check(servlet);
    }

    @Test
    void libraryCodeFollowsTheGeneralCodingRules() {
        NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS.check(servlet);
        NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS.check(servlet);
        NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING.check(servlet);
    }

    @Test
    void theRulesSeeTheClassesTheyGuard() {
        assertThat(servlet.size()).isGreaterThan(8);
        assertThat(servlet.containPackage("io.github.perfkit.servlet.internal")).isTrue();
    }

    private static DescribedPredicate<JavaClass> notInternal() {
        return DescribedPredicate.describe("a type outside the internal packages",
                c -> !c.getPackageName().contains(".internal"));
    }
}
