package com.example.modular;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.aemp.Node;
import org.aemp.spi.Codec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** mp-core as a named module: the exchange works, and only the API packages are exported. */
class ExchangeTest {

    @Test
    @Timeout(60)
    void twoNodesExchangeMessagesOnTheModulePath() throws Exception {
        assertTrue(ExchangeTest.class.getModule().isNamed(), "the test should run inside com.example.modular");
        assertEquals(List.of("pong", "ping"), Exchange.callAcrossNodes());
    }

    @Test
    void mpCoreExportsOnlyItsApiPackages() {
        Module core = Node.class.getModule();
        assertEquals("org.aemp.core", core.getName());
        Set<String> exported = core.getDescriptor().exports().stream()
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        assertEquals(Set.of("org.aemp", "org.aemp.config", "org.aemp.spi"), exported);
        assertFalse(core.isExported("org.aemp.internal.kernel"));
    }

    @Test
    void theCodecComesFromANamedModule() {
        Module json = ModuleLayer.boot().findModule("org.aemp.codec.json").orElseThrow();
        assertTrue(json.getDescriptor().provides().stream().anyMatch(p -> p.service().equals(Codec.class.getName())));
    }

    @Test
    void internalClassesAreOutOfReachByReflection() throws Exception {
        Class<?> safeText = Class.forName("org.aemp.internal.SafeText");
        assertThrows(IllegalAccessException.class, () -> safeText.getMethod("escape", Object.class).invoke(null, "x"));
    }
}
