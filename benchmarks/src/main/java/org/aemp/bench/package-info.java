/**
 * Benchmarks: JMH micro-benchmarks of the codecs and of local delivery, and a two-process
 * round-trip program ({@link org.aemp.bench.Main}: {@code echo-node} and {@code client}) that
 * mirrors the Perl peers {@code echo-node.pl} and {@code client.pl}, so that Java and Perl run
 * against each other with one harness. Not API.
 */
package org.aemp.bench;
