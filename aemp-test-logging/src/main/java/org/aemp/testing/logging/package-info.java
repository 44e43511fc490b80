/**
 * Quiet, self-checking test logs, for tests only (test scope in every module): an SLF4J 2 provider
 * that records log events in memory ({@link org.aemp.testing.logging.TestLogProvider}), and the
 * JUnit Jupiter extension and jqwik hook that open a {@link org.aemp.testing.logging.TestLogs}
 * scope around every test. A passing test prints nothing; a failing test's log is printed after
 * it, control characters escaped; a test that logs a WARN or ERROR it did not declare with
 * {@code allow}, {@code expect} or {@code await} fails. Events belong to the test during whose
 * run they were logged, whatever the thread (see {@link org.aemp.testing.logging.TestLogs}).
 *
 * <p>System properties: {@code aemp.test.logs=console} also prints every event as it happens (to
 * watch one test from the IDE or with {@code -Dtest=...}); {@code aemp.test.logs.level=debug} and
 * {@code aemp.test.logs.level.<logger>=trace} set levels (default INFO). Not API of aemp.
 */
package org.aemp.testing.logging;
