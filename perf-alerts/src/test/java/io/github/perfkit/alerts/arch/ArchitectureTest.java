package io.github.perfkit.alerts.arch;

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

/** Keeps DESIGN.md's module graph true for perf-alerts. */
class ArchitectureTest {

    private static JavaClasses alerts;

    @BeforeAll
    static void importClasses() {
        alerts = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.github.perfkit.alerts");
    }

    @Test
    void neverDependsOnSiblingModulesNorOnCoreInternals() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.github.perfkit.cache..",
                        "io.github.perfkit.servlet..", "io.github.perfkit.spring..", "io.github.perfkit.core.internal..",
                        "org.springframework..", "jakarta.servlet..")
                .check(alerts);
    }

    @Test
    void lettuceStaysInTheRedisPackage() {
        noClasses().that().resideOutsideOfPackage("io.github.perfkit.alerts.redis..")
                .should().dependOnClassesThat().resideInAnyPackage("io.lettuce..")
                .because("Lettuce is optional: only RedisAlertStore may use it").check(alerts);
    }

    @Test
    void jacksonStaysInTheConfigPackage() {
        noClasses().that().resideOutsideOfPackage("io.github.perfkit.alerts.config..")
                .and().resideOutsideOfPackage("io.github.perfkit.alerts.notify..")
                .and().resideOutsideOfPackage("io.github.perfkit.alerts.redis..")
                .should().dependOnClassesThat().resideInAnyPackage("com.fasterxml.jackson..")
                .check(alerts);
    }

    @Test
    void publicApiNeverExposesInternalTypes() {
        DescribedPredicate<JavaClass> internal = new DescribedPredicate<>("an internal type") {
            @Override
            public boolean test(JavaClass c) {
                return c.getPackageName().contains(".internal");
            }
        };
        methods().that().arePublic().and().areDeclaredInClassesThat().resideOutsideOfPackage("..internal..")
                .should().haveRawReturnType(DescribedPredicate.not(internal)).check(alerts);
    }

    @Test
    void loggersArePrivateStaticFinalAndGeneralRules() {
        fields().that().haveRawType(Logger.class).should().bePrivate().andShould().beStatic().andShould().beFinal()
                .check(alerts);
        NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS.check(alerts);
        NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS.check(alerts);
        NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING.check(alerts);
    }

    @Test
    void theRulesSeeTheClassesTheyGuard() {
        assertThat(alerts.size()).isGreaterThan(10);
        assertThat(alerts.containPackage("io.github.perfkit.alerts.internal")).isTrue();
    }
}
