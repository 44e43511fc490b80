package org.aemp.testkit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kit uses mp-core as a user's code does: never its internals, and its public types show only
 * mp-core's exported packages, the JDK, JUnit and its own types.
 */
class KitApiTest {
    private static final List<String> SHOWN = List.of("java.", "org.junit.", "org.aemp.testkit.", "org.aemp.spi.",
            "org.aemp.config.");
    private static JavaClasses kit;

    @BeforeAll
    static void importKit() {
        kit = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.aemp.testkit");
    }

    @Test
    void theKitUsesNoInternalPackage() {
        assertThat(kit).extracting(JavaClass::getName).contains(AempNetwork.class.getName());
        noClasses().should().dependOnClassesThat().resideInAPackage("org.aemp.internal..").check(kit);
    }

    @Test
    void publicSignaturesShowOnlyPublicApi() {
        List<String> wrong = new ArrayList<>();
        for (JavaClass c : kit) {
            if (!c.getModifiers().contains(JavaModifier.PUBLIC)) {
                continue;
            }
            for (JavaCodeUnit m : c.getCodeUnits()) {
                if (!m.getModifiers().contains(JavaModifier.PUBLIC)) {
                    continue;
                }
                List<JavaClass> shown = new ArrayList<>(m.getRawParameterTypes());
                shown.add(m.getRawReturnType());
                shown.addAll(m.getThrowsClause().getTypes());
                for (JavaClass t : shown) {
                    if (!allowed(t)) {
                        wrong.add(c.getSimpleName() + "." + m.getName() + " shows " + t.getName());
                    }
                }
            }
            for (JavaField f : c.getFields()) {
                if (f.getModifiers().contains(JavaModifier.PUBLIC) && !allowed(f.getRawType())) {
                    wrong.add(c.getSimpleName() + "." + f.getName() + " shows " + f.getRawType().getName());
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    private static boolean allowed(JavaClass t) {
        JavaClass base = t.isArray() ? t.getBaseComponentType() : t;
        String name = base.getName();
        return base.isPrimitive() || SHOWN.stream().anyMatch(name::startsWith)
                || Set.of("org.aemp").contains(base.getPackageName());
    }
}
