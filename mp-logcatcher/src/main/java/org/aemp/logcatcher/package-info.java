/**
 * AEMP's log catcher ({@code AnyEvent::MP::LogCatcher}): a node collects the log records of other
 * nodes, Java or Perl, with AnyEvent::Log's nine levels mapped to SLF4J's five and back
 * ({@link org.aemp.logcatcher.LogLevel}).
 *
 * <h2>Catching</h2>
 * {@link org.aemp.logcatcher.LogCatcher#catchLogs LogCatcher.catchLogs(node, LogLevel.INFO)} asks
 * every other node for its records and logs them here on {@code org.aemp.logcatcher.remote.<node>}
 * ({@link org.aemp.logcatcher.Catcher}).
 *
 * <h2>Being caught</h2>
 * {@link org.aemp.logcatcher.LogCatcher#serve LogCatcher.serve(node)} lets catchers connect
 * ({@link org.aemp.logcatcher.LogForwarding}). mp-logcatcher depends on slf4j-api only and ships
 * no binding, so records reach it through an adapter of the application's backend, all feeding
 * {@link org.aemp.logcatcher.LogTap}:
 * <table>
 *   <caption>Which adapter to use</caption>
 *   <tr><th>backend</th><th>adapter</th><th>how</th></tr>
 *   <tr><td>Logback (logback-classic)</td><td>{@link org.aemp.logcatcher.LogCatcherAppender}</td>
 *       <td>an {@code <appender>} in logback.xml, referenced from the root logger</td></tr>
 *   <tr><td>java.util.logging (slf4j-jdk14, or JUL directly)</td>
 *       <td>{@link org.aemp.logcatcher.LogCatcherHandler}</td><td>a handler on the root JUL logger</td></tr>
 *   <tr><td>any other SLF4J backend (slf4j-simple, Log4j 2, ...)</td>
 *       <td>{@link org.aemp.logcatcher.LogCatcherServiceProvider}</td>
 *       <td>{@code -Dslf4j.provider=org.aemp.logcatcher.LogCatcherServiceProvider}</td></tr>
 *   <tr><td>anything else</td><td>{@link org.aemp.logcatcher.LogTap#publish}</td><td>call it from the backend</td></tr>
 * </table>
 * Use one adapter per JVM: two would forward each record twice.
 */
package org.aemp.logcatcher;
