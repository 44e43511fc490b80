package org.aemp.testing.logging;

import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opentest4j.TestAbortedException;

/**
 * The JUnit Jupiter side: opens a {@link TestLogs} scope around each test class and each test,
 * prints a failing test's log, and fails a test (or class) that logged an unexpected WARN or
 * ERROR. Every module's {@code src/test/resources/junit-platform.properties} turns on
 * {@code junit.jupiter.extensions.autodetection.enabled=true}, and this jar's
 * {@code META-INF/services/org.junit.jupiter.api.extension.Extension} names this class, so it
 * applies to every test class without an annotation. Being registered first, it runs its
 * {@code afterEach} last: a test's log includes its {@code @AfterEach} methods and the teardown of
 * the other extensions (closing nodes, for one).
 *
 * <p>A test, {@code @BeforeEach}, {@code @AfterEach} or {@code @BeforeAll} method gets the scope
 * by declaring a {@link TestLogs} parameter (in {@code @BeforeAll}: the class's scope, whose rules
 * apply to all its tests); {@link TestLogs#current()} gives the same.
 *
 * <p>Stateless (state lives in the extension context's store); thread-safe.
 */
public final class TestLogsExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TestLogsExtension.class);
    private static final String KEY = "logs";

    /** For JUnit's extension auto-detection. */
    public TestLogsExtension() {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NAMESPACE).put(KEY, TestLogs.open(context.getRequiredTestClass().getSimpleName()));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        String method = context.getRequiredTestMethod().getName();
        String test = context.getRequiredTestClass().getSimpleName() + "." + method + "()";
        if (!context.getDisplayName().startsWith(method + "(")) {
            test += " " + context.getDisplayName(); // a parameterized test's invocation, or a @DisplayName
        }
        context.getStore(NAMESPACE).put(KEY, TestLogs.open(test));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close(context);
    }

    private static void close(ExtensionContext context) {
        TestLogs logs = context.getStore(NAMESPACE).remove(KEY, TestLogs.class);
        if (logs == null) {
            return; // beforeAll or beforeEach failed before it opened
        }
        Optional<Throwable> failure = context.getExecutionException();
        TestLogs.Outcome outcome = failure.isEmpty() ? TestLogs.Outcome.PASSED
                : failure.get() instanceof TestAbortedException ? TestLogs.Outcome.ABORTED : TestLogs.Outcome.FAILED;
        AssertionError verdict = logs.close(outcome);
        if (verdict != null) {
            throw verdict;
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestLogs.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        TestLogs logs = context.getStore(NAMESPACE).get(KEY, TestLogs.class); // this context's, else the class's
        return logs != null ? logs : TestLogs.current();
    }
}
