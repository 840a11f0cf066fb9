package io.github.perfkit.cache.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** Keeps DESIGN.md's module graph and the library-confinement rules true for perf-cache. */
class ArchitectureTest {

    private static JavaClasses cache;

    @BeforeAll
    static void importClasses() {
        cache = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.github.perfkit.cache");
    }

    @Test
    void neverDependsOnSiblingModulesOrFrameworks() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "io.github.perfkit.alerts..", "io.github.perfkit.servlet..", "io.github.perfkit.spring..",
                        "io.github.perfkit.core.internal..", "org.springframework..", "jakarta.servlet..")
                .check(cache);
    }

    @Test
    void lettuceIsConfinedToTheRedisPackage() {
        noClasses().that().resideOutsideOfPackage("io.github.perfkit.cache.redis..")
                .should().dependOnClassesThat().resideInAnyPackage("io.lettuce..", "io.netty..")
                .because("lettuce-core is optional: only RedisTier may touch it")
                .check(cache);
    }

    @Test
    void jacksonIsConfinedToTheCodecPackage() {
        noClasses().that().resideOutsideOfPackage("io.github.perfkit.cache.codec..")
                .should().dependOnClassesThat().resideInAnyPackage("com.fasterxml.jackson..")
                .check(cache);
    }

    @Test
    void publicApiDoesNotReturnInternalTypes() {
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods().that().arePublic()
                .and().areDeclaredInClassesThat().resideOutsideOfPackage("..internal..")
                .should().haveRawReturnType(com.tngtech.archunit.base.DescribedPredicate.describe(
                        "a type outside internal", c -> !c.getPackageName().contains(".internal")))
                .check(cache);
    }

    @Test
    void loggersArePrivateStaticFinal() {
        fields().that().haveRawType(Logger.class).and().areStatic().should().bePrivate().andShould().beFinal()
                .check(cache);
        // Instance logger fields are allowed only in helpers handed their owner's logger (RateLimitedLog).
        fields().that().haveRawType(Logger.class).and().areNotStatic()
                .should().bePrivate().andShould().beFinal()
                .andShould(new com.tngtech.archunit.lang.ArchCondition<>("be handed to the constructor") {
                    @Override
                    public void check(com.tngtech.archunit.core.domain.JavaField field,
                                      com.tngtech.archunit.lang.ConditionEvents events) {
                        boolean handed = field.getOwner().getConstructors().stream().anyMatch(c ->
                                c.getRawParameterTypes().stream().anyMatch(t -> t.isEquivalentTo(Logger.class)));
                        if (!handed) {
                            events.add(com.tngtech.archunit.lang.SimpleConditionEvent.violated(field,
                                    field.getFullName() + " is an instance logger its class creates itself"));
                        }
                    }
                })
                .check(cache);
    }

    @Test
    void libraryCodeFollowsTheGeneralCodingRules() {
        NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS.check(cache);
        NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS.check(cache);
        NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING.check(cache);
    }

    @Test
    void theRulesSeeTheClassesTheyGuard() {
        assertThat(cache.size()).isGreaterThan(10);
        assertThat(cache.containPackage("io.github.perfkit.cache.internal")).isTrue();
    }
}
