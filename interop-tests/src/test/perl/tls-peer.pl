#!/usr/bin/perl
# tls-peer.pl - a small AnyEvent::MP 2.02 node with a certificate, for the Java TLS
# interop test (org.aemp.interop.PerlTlsLiveTest).
#
# Run: PERL5LIB=<AnyEvent::MP 2.02 lib> perl tls-peer.pl nodeid=ID bind=HOST:PORT certfile=FILE [secret=S]
#   certfile: PEM text with the private key and certificate (also the trusted CAs)
#
# Prints one line per event on stdout:
#   ready <nodeid> <listen address>      once configured
#   up <node> / down <node> <reason...>  when a link comes up or goes down
#   got <json message>                   for each message to <nodeid>#echo
# Port <nodeid>#echo: (reply, @payload) -> snd reply, "echo", @payload
# Commands on stdin, one per line, words separated by blanks:
#   send <node> <address> <port> <word>...   connect to <node> at <address> unless a link is up,
#                                            then snd <port>, "from_perl", <word>...
# Exits at the end of stdin.

use strict;
use warnings;
use AnyEvent;
use AnyEvent::MP;
use AnyEvent::MP::Kernel;
use JSON::XS;

my %arg = map { /^([^=]+)=(.*)\z/s ? ($1 => $2) : () } @ARGV;
defined $arg{$_} or die "tls-peer.pl: missing argument $_=...\n" for qw(nodeid bind certfile);

my $pem = do {
   open my $fh, "<", $arg{certfile} or die "tls-peer.pl: $arg{certfile}: $!\n";
   local $/;
   <$fh>
};

$| = 1;
my $json = JSON::XS->new->canonical;

configure
   norc     => 1,
   nodeid   => $arg{nodeid},
   binds    => [$arg{bind}],
   cert     => $pem,
   (defined $arg{secret} ? (secret => $arg{secret}) : ());

mon_nodes sub {
   my ($node, $up, @reason) = @_;
   print $up ? "up $node\n" : "down $node @reason\n";
};

rcv "$NODE#echo", sub {
   my ($reply, @payload) = @_;
   print "got ", $json->encode ([$reply, @payload]), "\n";
   snd $reply, echo => @payload;
};

print "ready $NODE @$AnyEvent::MP::Kernel::BINDS\n";

my $done = AE::cv;
my $stdin = AE::io *STDIN, 0, sub {
   my $line = <STDIN>;
   defined $line or return $done->send;
   my ($cmd, @w) = split " ", $line;
   return unless defined $cmd;
   if ($cmd eq "send" and @w >= 3) {
      my ($node, $address, $port, @words) = @w;
      # Node::connect_to dials the address we were given (there is no global service here)
      AnyEvent::MP::Kernel::add_node ($node)->connect_to ([$address])
         unless node_is_up $node;
      snd $port, from_perl => @words;
   } else {
      print "unknown command: $line";
   }
};
$done->recv;
