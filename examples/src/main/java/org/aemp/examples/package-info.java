/**
 * Runnable example programs. {@link org.aemp.examples.ChatServer} and
 * {@link org.aemp.examples.ChatClient}, {@link org.aemp.examples.BridgeHeadChatServer} and
 * {@link org.aemp.examples.BridgeHeadChatClient}, {@link org.aemp.examples.SimpleSender} and
 * {@link org.aemp.examples.SimpleReceiver}, and {@link org.aemp.examples.SimpleExample} are Java
 * versions of the programs in Perl AnyEvent::MP's {@code eg/} folder and speak to them;
 * {@link org.aemp.examples.PingPong} and {@link org.aemp.examples.JavaEchoNode} ping and answer
 * {@code #echo} ports. Each program takes AEMP {@code configure} arguments as {@code key=value}
 * (see {@link org.aemp.examples.ExampleArgs}). Programs print to standard output; that is their job.
 */
package org.aemp.examples;
