package io.github.perfkit.examples.shop.arch;

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

/** The shop uses Perfkit as an application would: public API only, no internals; logs instead of printing. */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.github.perfkit.examples.shop");
    }

    @Test
    void usesNoPerfkitInternals() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.github.perfkit..internal..")
                .because("the shop shows what an application can do with Perfkit's public API")
                .check(classes);
    }

    @Test
    void logsThroughSlf4jAndThrowsSpecificExceptions() {
        NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS.check(classes);
        NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS.check(classes);
        fields().that().haveRawType(Logger.class).should().bePrivate().andShould().beStatic().andShould().beFinal()
                .check(classes);
    }
}
