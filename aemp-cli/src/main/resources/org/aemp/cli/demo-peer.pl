#!/usr/bin/perl
# demo-peer.pl - the Perl node of "aemp demo --with-perl" (aemp-java). It joins the demo's
# network through the seed, answers pings on <node>#pong, lets the Java nodes spawn
# DemoPeer::counter, tells the Java side it is ready, and exits 0 on SIGTERM or SIGINT.
#
#   AEMP_DEMO_SECRET=<secret> perl -I<AnyEvent::MP 2.02 lib> demo-peer.pl <node id> <seed host:port> <ready port>
#
# The demo extracts this file to a temporary file and runs it; it reads no rc file.

use strict;
use warnings;
use AnyEvent;
use AnyEvent::MP;

@ARGV == 3 or die "usage: AEMP_DEMO_SECRET=<secret> $0 <node id> <seed host:port> <ready port>\n";
my ($nodeid, $seed, $ready) = @ARGV;
my $secret = $ENV{AEMP_DEMO_SECRET};
defined $secret && length $secret or die "$0: AEMP_DEMO_SECRET is not set\n";
$AnyEvent::MP::VERSION >= 2
   or die "$0: needs AnyEvent::MP 2.x, found $AnyEvent::MP::VERSION\n";

configure
   norc   => 1,
   nodeid => $nodeid,
   binds  => ["127.0.0.1:0"],
   seeds  => [$seed],
   secret => $secret;

# ("ping", <reply port>, <data>...) -> ("pong", <data>..., "perl <version>")
rcv "$NODE#pong", ping => sub {
   my ($reply, @data) = @_;
   snd $reply, pong => @data, sprintf "perl %vd", $^V;
};

# found through the seed, as any node id is
snd $ready, ready => $NODE, "AnyEvent::MP $AnyEvent::MP::VERSION";

my $stop = AE::cv;
my @signals = map { AE::signal $_ => sub { $stop->send } } qw(TERM INT);
$stop->recv;
exit 0;

package DemoPeer;

use AnyEvent::MP;

# Spawn init function: the new port counts; ("inc", <reply port>) -> ("count", <n>).
sub counter {
   my ($count) = @_;
   rcv $SELF, inc => sub {
      my ($reply) = @_;
      snd $reply, count => ++$count;
   };
}
