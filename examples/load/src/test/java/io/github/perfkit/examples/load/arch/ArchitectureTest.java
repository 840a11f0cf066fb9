package io.github.perfkit.examples.load.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.github.perfkit.examples.load.LoadMain;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** The load generator is a plain library (only its command line prints) with no Perfkit dependency. */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.github.perfkit.examples.load");
    }

    @Test
    void dependsOnNoPerfkitModule() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.github.perfkit.core..",
                        "io.github.perfkit.cache..", "io.github.perfkit.alerts..", "io.github.perfkit.servlet..",
                        "io.github.perfkit.spring..")
                .because("benchmarks and the shop measure Perfkit with it; it must not measure itself")
                .check(classes);
    }

    @Test
    void onlyTheCommandLinePrints() {
        noClasses().that().doNotHaveFullyQualifiedName(LoadMain.class.getName())
                .should().accessField(System.class, "out").orShould().accessField(System.class, "err")
                .check(classes);
    }

    @Test
    void loggersArePrivateStaticFinalAndNoGenericExceptions() {
        fields().that().haveRawType(Logger.class).should().bePrivate().andShould().beStatic().andShould().beFinal()
                .check(classes);
        NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS.check(classes);
    }
}
