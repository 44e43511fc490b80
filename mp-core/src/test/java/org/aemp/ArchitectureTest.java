package org.aemp;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shape of mp-core, checked on its compiled classes (tests excluded): the packages form a line
 * with no cycle, {@code org.aemp -> internal.global -> internal.net -> internal.kernel ->
 * internal}, with {@code spi} and {@code config} beside it (anyone may use them; they use nothing
 * of the API or the internals); and nothing public in the exported packages ({@code org.aemp},
 * {@code org.aemp.spi}, {@code org.aemp.config}) shows an internal type.
 *
 * <p>Run it alone with {@code mvn -B -pl mp-core test -Dtest=ArchitectureTest}.
 */
class ArchitectureTest {
    private static final String API = "org.aemp";
    private static final String GLOBAL = "org.aemp.internal.global..";
    private static final String NET = "org.aemp.internal.net..";
    private static final String KERNEL = "org.aemp.internal.kernel..";
    private static final String UTIL = "org.aemp.internal";
    private static final String SPI = "org.aemp.spi..";
    private static final String CONFIG = "org.aemp.config..";
    private static final String[] EXPORTED = {API, SPI, CONFIG};

    private static JavaClasses core;

    @BeforeAll
    static void importMpCore() {
        core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.aemp");
    }

    @Test
    void theMainClassesAreThere() {
        // guards the rules below against passing on nothing
        List<String> names = core.stream().map(JavaClass::getName).toList();
        org.assertj.core.api.Assertions.assertThat(names).contains(Node.class.getName(),
                "org.aemp.internal.kernel.Kernel", "org.aemp.internal.net.Network",
                "org.aemp.internal.global.GlobalService", "org.aemp.spi.Codec", "org.aemp.config.Profiles");
    }

    @Test
    void noPackageCycles() {
        SliceAssignment byPackage = new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass c) {
                return c.getPackageName().startsWith("org.aemp") ? SliceIdentifier.of(c.getPackageName())
                        : SliceIdentifier.ignore();
            }

            @Override
            public String getDescription() {
                return "the packages of mp-core";
            }
        };
        slices().assignedFrom(byPackage).should().beFreeOfCycles().check(core);
    }

    @Test
    void theKernelKnowsNothingAboveIt() {
        noClasses().that().resideInAPackage(KERNEL)
                .should().dependOnClassesThat().resideInAnyPackage(API, NET, GLOBAL)
                .check(core);
    }

    @Test
    void theNetworkKnowsNothingAboveIt() {
        noClasses().that().resideInAPackage(NET)
                .should().dependOnClassesThat().resideInAnyPackage(API, GLOBAL)
                .check(core);
    }

    @Test
    void theGlobalServiceKnowsNothingOfTheApi() {
        noClasses().that().resideInAPackage(GLOBAL)
                .should().dependOnClassesThat().resideInAPackage(API)
                .check(core);
    }

    @Test
    void theInternalUtilitiesStandBelowEverything() {
        noClasses().that().resideInAPackage(UTIL)
                .should().dependOnClassesThat().resideInAnyPackage(API, GLOBAL, NET, KERNEL, SPI, CONFIG)
                .check(core);
    }

    @Test
    void spiAndConfigUseNeitherTheApiNorTheInternals() {
        noClasses().that().resideInAnyPackage(SPI, CONFIG)
                .should().dependOnClassesThat().resideInAnyPackage(API, "org.aemp.internal..")
                .check(core);
        noClasses().that().resideInAPackage(SPI).should().dependOnClassesThat().resideInAPackage(CONFIG).check(core);
        noClasses().that().resideInAPackage(CONFIG).should().dependOnClassesThat().resideInAPackage(SPI).check(core);
    }

    @Test
    void noPublicSignatureInTheExportedPackagesShowsAnInternalType() {
        codeUnits().that(visibleInTheApi())
                .should(notShowInternalTypes())
                .allowEmptyShould(false)
                .check(core);
        fields().that(visibleInTheApi())
                .should(notShowInternalTypesInFields())
                .check(core);
        classes().that(publicApi())
                .should(notExtendInternalTypes())
                .check(core);
    }

    /** Public and protected members of the public types of the exported packages. */
    private static <T extends JavaMember> DescribedPredicate<T> visibleInTheApi() {
        DescribedPredicate<JavaClass> api = publicApi();
        return DescribedPredicate.describe("public or protected members of " + api.getDescription(),
                m -> api.test(m.getOwner()) && (m.getModifiers().contains(JavaModifier.PUBLIC)
                        || m.getModifiers().contains(JavaModifier.PROTECTED)));
    }

    /** Public types of the exported packages, nested ones included. */
    private static DescribedPredicate<JavaClass> publicApi() {
        return DescribedPredicate.describe("public types of " + String.join(", ", EXPORTED), c -> {
            for (JavaClass t = c; t != null; t = t.getEnclosingClass().orElse(null)) {
                if (!t.getModifiers().contains(JavaModifier.PUBLIC)) {
                    return false;
                }
            }
            return c.getPackageName().equals(API) || c.getPackageName().startsWith("org.aemp.spi")
                    || c.getPackageName().startsWith("org.aemp.config");
        });
    }

    private static boolean internal(JavaClass c) {
        return c.getPackageName().startsWith("org.aemp.internal");
    }

    private static ArchCondition<JavaCodeUnit> notShowInternalTypes() {
        return new ArchCondition<>("not have an internal type in their signature") {
            @Override
            public void check(JavaCodeUnit unit, ConditionEvents events) {
                List<JavaType> types = new ArrayList<>(unit.getParameterTypes());
                types.add(unit.getReturnType());
                unit.getThrowsClause().getTypes().forEach(types::add);
                for (JavaType t : types) {
                    for (JavaClass raw : t.getAllInvolvedRawTypes()) {
                        if (internal(raw)) {
                            events.add(SimpleConditionEvent.violated(unit, unit.getFullName() + " shows "
                                    + raw.getName()));
                        }
                    }
                }
            }
        };
    }

    private static ArchCondition<JavaField> notShowInternalTypesInFields() {
        return new ArchCondition<>("not have an internal type") {
            @Override
            public void check(JavaField field, ConditionEvents events) {
                Set<JavaClass> raw = field.getType().getAllInvolvedRawTypes();
                raw.stream().filter(ArchitectureTest::internal).forEach(r -> events.add(
                        SimpleConditionEvent.violated(field, field.getFullName() + " shows " + r.getName())));
            }
        };
    }

    private static ArchCondition<JavaClass> notExtendInternalTypes() {
        return new ArchCondition<>("not extend or implement an internal type") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                List<JavaClass> supers = new ArrayList<>(c.getAllRawInterfaces());
                supers.addAll(c.getAllRawSuperclasses());
                supers.stream().filter(ArchitectureTest::internal).forEach(s -> events.add(
                        SimpleConditionEvent.violated(c, c.getName() + " extends " + s.getName())));
            }
        };
    }
}
