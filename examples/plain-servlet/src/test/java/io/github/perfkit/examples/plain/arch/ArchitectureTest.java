package io.github.perfkit.examples.plain.arch;

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

/** The example shows users the public API only, and follows the project's own habits. */
class ArchitectureTest {

    private static JavaClasses example;

    @BeforeAll
    static void importClasses() {
        example = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.github.perfkit.examples.plain");
    }

    @Test
    void usesOnlyPerfkitsPublicApi() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.github.perfkit..internal..")
                .because("an example users copy must not reach into implementation packages")
                .check(example);
    }

    @Test
    void noStandardStreamsNoGenericExceptionsAndPrivateStaticFinalLoggers() {
        NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS.check(example);
        NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS.check(example);
        fields().that().haveRawType(Logger.class)
                .should().bePrivate().andShould().beStatic().andShould().beFinal()
                .check(example);
    }
}
