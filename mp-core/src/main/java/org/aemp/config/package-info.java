/**
 * The AEMP rc file and its profiles: where the file is ({@link org.aemp.config.RcFile}), how it is
 * read (relaxed JSON, as Perl's JSON::XS reads it) and written (JSON::XS pretty layout, with a
 * {@code ~} backup), how a profile's effective configuration is built from built-in defaults,
 * program arguments and the file ({@link org.aemp.config.Profiles}), and how that turns into a
 * {@link org.aemp.NodeConfig} ({@link org.aemp.config.EffectiveConfig}).
 *
 * <p>The file is shared with Perl's AnyEvent::MP 2.02 and its {@code aemp} tool, so every rule
 * here follows what 2.02 does (CONFIG-CLI.md §1–§3), with one deliberate change: a file that
 * cannot be parsed is reported and never overwritten, where Perl would silently start from
 * {@code {"version":1}} and save over it.
 */
package org.aemp.config;
