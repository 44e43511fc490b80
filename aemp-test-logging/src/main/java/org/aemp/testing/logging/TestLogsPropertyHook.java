package org.aemp.testing.logging;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * The jqwik side: jqwik runs {@code @Property} methods on its own engine, where Jupiter's
 * extensions do not apply, so this hook (registered for every property through
 * {@code META-INF/services/net.jqwik.api.lifecycle.LifecycleHook}) opens a {@link TestLogs} scope
 * around each property, all its tries and shrinking included, and outside its
 * {@code @BeforeProperty} and {@code @AfterProperty} methods. As with Jupiter tests: a failing
 * property's log is printed, and a property that logged an unexpected WARN or ERROR fails.
 * Properties declare what they expect through {@link TestLogs#current()}, in the property or in a
 * {@code @BeforeProperty} method. What {@code @BeforeContainer} and {@code @AfterContainer}
 * methods log is outside every scope, and dropped. Stateless; thread-safe.
 */
public final class TestLogsPropertyHook implements AroundPropertyHook {
    /** For {@link java.util.ServiceLoader}. */
    public TestLogsPropertyHook() {
    }

    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    /** Outside jqwik's own hooks, whose proximity is -10 and more. */
    @Override
    public int aroundPropertyProximity() {
        return -100;
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        TestLogs logs = TestLogs.open(context.containerClass().getSimpleName() + "." + context.targetMethod().getName()
                + "()");
        PropertyExecutionResult result;
        try {
            result = property.execute();
        } catch (RuntimeException | Error e) {
            logs.close(TestLogs.Outcome.FAILED);
            throw e;
        }
        TestLogs.Outcome outcome = switch (result.status()) {
            case SUCCESSFUL -> TestLogs.Outcome.PASSED;
            case ABORTED -> TestLogs.Outcome.ABORTED;
            default -> TestLogs.Outcome.FAILED;
        };
        AssertionError verdict = logs.close(outcome);
        return verdict == null ? result : result.mapToFailed(verdict);
    }
}
