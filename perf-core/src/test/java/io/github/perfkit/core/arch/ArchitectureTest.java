package io.github.perfkit.core.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * Keeps DESIGN.md's module graph and {@code internal} rule true for the main classes of perf-core.
 */
class ArchitectureTest {

    private static JavaClasses core;

    @BeforeAll
    static void importClasses() {
        core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.github.perfkit.core");
    }

    @Test
    void coreStaysFreeOfFrameworksAndOtherModules() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "org.springframework..", "jakarta.servlet..", "javax.servlet..", "io.lettuce..",
                        "com.fasterxml.jackson..", "com.github.benmanes.caffeine..",
                        "io.github.perfkit.cache..", "io.github.perfkit.alerts..", "io.github.perfkit.servlet..",
                        "io.github.perfkit.spring..")
                .because("perf-core depends only on Micrometer, HdrHistogram, SLF4J and OSHI (DESIGN.md)")
                .check(core);
    }

    @Test
    void internalPackagesAreUsedOnlyByTheirOwnModule() {
        noClasses().should(dependOnAnotherModulesInternals()).check(core);
    }

    @Test
    void publicApiNeverExposesInternalTypes() {
        methods().that().arePublic()
                .and().areDeclaredInClassesThat().resideOutsideOfPackage("..internal..")
                .and().areDeclaredInClassesThat().arePublic()
                .should().haveRawReturnType(notInternal())
                .check(core);
        fields().that().arePublic()
                .and().areDeclaredInClassesThat().resideOutsideOfPackage("..internal..")
                .should().haveRawType(notInternal())
                .check(core);
    }

    @Test
    void packagesHaveNoCycles() {
        // A public package and its internal implementation form one area (the API's factory methods
        // construct the Default* classes, which implement the API): cycles between areas are the problem.
        slices().assignedFrom(AREAS).should().beFreeOfCycles().check(core);
    }

    @Test
    void loggersArePrivateStaticFinal() {
        fields().that().haveRawType(Logger.class).and().areStatic()
                .should().bePrivate().andShould().beFinal()
                .check(core);
        // Instance logger fields are allowed only in helpers handed their owner's logger.
        fields().that().haveRawType(Logger.class).and().areNotStatic()
                .should().bePrivate().andShould().beFinal()
                .andShould(new ArchCondition<>("be handed to the constructor") {
                    @Override
                    public void check(com.tngtech.archunit.core.domain.JavaField field, ConditionEvents events) {
                        boolean handed = field.getOwner().getConstructors().stream()
                                .anyMatch(c -> c.getRawParameterTypes().stream().anyMatch(t -> t.isEquivalentTo(Logger.class)));
                        if (!handed) {
                            events.add(SimpleConditionEvent.violated(field, field.getFullName() + " is an instance "
                                    + "logger that its class creates itself; make it private static final"));
                        }
                    }
                })
                .check(core);
    }

    @Test
    void libraryCodeFollowsTheGeneralCodingRules() {
        NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS.check(core);
        NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS.check(core);
        NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING.check(core);
    }

    @Test
    void theRulesSeeTheClassesTheyGuard() {
        // Guards the guard: an import that silently found nothing would make every rule above pass.
        org.assertj.core.api.Assertions.assertThat(core.size()).isGreaterThan(10);
        org.assertj.core.api.Assertions.assertThat(core.containPackage("io.github.perfkit.core.internal.tracking"))
                .isTrue();
    }

    private static final SliceAssignment AREAS = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String pkg = javaClass.getPackageName();
            if (!pkg.startsWith("io.github.perfkit.core")) {
                return SliceIdentifier.ignore();
            }
            String rest = pkg.substring("io.github.perfkit.core".length()).replaceFirst("^\\.internal", "");
            String area = rest.isEmpty() ? "tracking" : rest.substring(1).split("\\.")[0];
            return SliceIdentifier.of(area.equals("") ? "tracking" : area);
        }

        @Override
        public String getDescription() {
            return "areas of perf-core (a public package together with its internal implementation)";
        }
    };

    private static com.tngtech.archunit.base.DescribedPredicate<JavaClass> notInternal() {
        return com.tngtech.archunit.base.DescribedPredicate.describe("a type outside the internal packages",
                c -> !c.getPackageName().contains(".internal"));
    }

    /** {@code io.github.perfkit.<module>.internal..} may only be used from {@code io.github.perfkit.<module>..}. */
    private static ArchCondition<JavaClass> dependOnAnotherModulesInternals() {
        return new ArchCondition<>("depend on the internal package of another Perfkit module") {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                String from = module(origin.getPackageName());
                for (Dependency d : origin.getDirectDependenciesFromSelf()) {
                    String target = d.getTargetClass().getPackageName();
                    if (target.contains(".internal") && target.startsWith("io.github.perfkit.")
                            && !module(target).equals(from)) {
                        events.add(SimpleConditionEvent.satisfied(origin, d.getDescription()));
                    }
                }
            }
        };
    }

    private static String module(String packageName) {
        String rest = packageName.startsWith("io.github.perfkit.")
                ? packageName.substring("io.github.perfkit.".length()) : packageName;
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

}
