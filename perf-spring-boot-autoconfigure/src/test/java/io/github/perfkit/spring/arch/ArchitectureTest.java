package io.github.perfkit.spring.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * Keeps the integration module's rules: it uses only the other modules' public API (never their
 * {@code internal} packages), its public API does not leak its own internals, no standard streams, loggers
 * private static final, no generic exceptions.
 */
class ArchitectureTest {

    private static JavaClasses spring;

    @BeforeAll
    static void importClasses() {
        spring = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.github.perfkit.spring");
    }

    @Test
    void otherModulesInternalsAreNeverUsed() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "io.github.perfkit.core.internal..", "io.github.perfkit.servlet.internal..",
                        "io.github.perfkit.cache.internal..", "io.github.perfkit.alerts.internal..")
                .check(spring);
    }

    @Test
    void optionalModulesAreTouchedOnlyByTheirOwnAutoConfiguration() {
        // A class guarded by @ConditionalOnClass(X) may reference X's module; nothing else may, so that an
        // application without that module still starts.
        noClasses().that().doNotHaveSimpleName("PerfkitServletAutoConfiguration")
                .and().doNotHaveSimpleName("PerfkitSecurityAutoConfiguration")
                .and().doNotHaveSimpleName("PerfkitRequestMatcher")
                .and().doNotHaveSimpleName("PerfkitWebSocketAutoConfiguration")
                // touched only after ClassUtils.isPresent(PerfFilter)
                .and().haveNameNotMatching(".*\\.PerfkitPreinitializer\\$Servlet")
                .should().dependOnClassesThat().resideInAnyPackage("io.github.perfkit.servlet..", "jakarta.servlet..")
                .check(spring);
        noClasses().that().doNotHaveSimpleName("PerfkitCacheAutoConfiguration")
                .and().haveNameNotMatching(".*\\.PerfkitSpringCacheManager(\\$.*)?")
                .and().haveNameNotMatching(".*\\.PerfCachingAspect(\\$.*)?")
                .and().doNotHaveSimpleName("PerfkitCachingAspectAutoConfiguration")
                .should().dependOnClassesThat().resideInAnyPackage("io.github.perfkit.cache..", "io.lettuce..")
                .check(spring);
        noClasses().that().doNotHaveSimpleName("PerfkitSecurityAutoConfiguration")
                .and().doNotHaveSimpleName("PerfkitRequestMatcher")
                .and().doNotHaveSimpleName("PerfkitCsrfConfigurer")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework.security..")
                .check(spring);
        noClasses().that().doNotHaveSimpleName("PerfkitAlertsAutoConfiguration")
                .and().doNotHaveSimpleName("AlertsSetup")
                .and().doNotHaveSimpleName("DeferredAlertEngine")
                .should().dependOnClassesThat().resideInAnyPackage("io.github.perfkit.alerts..")
                .check(spring);
    }

    @Test
    void noStandardStreamsAndNoGenericExceptions() {
        NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS.check(spring);
        NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS.check(spring);
    }

    @Test
    void loggersArePrivateStaticFinal() {
        fields().that().haveRawType(Logger.class)
                .should().bePrivate().andShould().beStatic().andShould().beFinal()
                .check(spring);
    }
}
