package org.aemp.observe;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ServiceLoader;
import org.aemp.Service;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * mp-observe is a user of mp-core: it reads the network through the public API only, shows only
 * its entry points, and keeps Netty and Jackson out of its public signatures.
 */
class ObserveApiTest {
    private static JavaClasses observe;

    @BeforeAll
    static void importModule() {
        observe = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.aemp.observe");
    }

    @Test
    void usesNoInternalPackageOfMpCore() {
        assertThat(observe).extracting(JavaClass::getName).contains(Observer.class.getName());
        noClasses().should().dependOnClassesThat().resideInAPackage("org.aemp.internal..").check(observe);
    }

    @Test
    void onlyTheEntryPointsArePublic() {
        classes().that().arePublic().and().areTopLevelClasses().should().haveSimpleNameEndingWith("Observer")
                .orShould().haveSimpleNameStartingWith("StatsAgent").check(observe);
        for (JavaClass c : observe) {
            if (c.getModifiers().contains(JavaModifier.PUBLIC)) {
                c.getMethods().stream().filter(m -> m.getModifiers().contains(JavaModifier.PUBLIC))
                        .forEach(m -> assertThat(m.getRawReturnType().getName()).as(m.getFullName())
                                .doesNotStartWith("io.netty").doesNotStartWith("com.fasterxml"));
            }
        }
    }

    @Test
    void theStatsAgentServiceIsFoundByName() {
        assertThat(ServiceLoader.load(Service.class).stream().map(p -> p.get().name()))
                .contains(StatsAgentService.NAME);
    }
}
