#!/usr/bin/perl
# logcatcher-peer.pl - the Perl AnyEvent::MP 2.02 node of mp-logcatcher's live tests.
#
#   perl logcatcher-peer.pl key=value...
#
# Keys: nodeid (default perl), bind (default 127.0.0.1:*), seeds (comma list), secret,
# framing (comma list for framing_format; default: AnyEvent::MP's own order).
# AnyEvent::MP is found through PERL5LIB (set it to $AEMP_PERL5LIB).
#
# Prints one JSON object per line on stdout:
#   {"event":"ready","node":..,"binds":[..]}
#   {"event":"log","ctx":..,"level":n,"msg":..}   for every log message that reaches
#                                                 $AnyEvent::Log::COLLECT, caught ones included
# Reads commands on stdin, one JSON object per line:
#   {"cmd":"log","level":l,"msg":text}   AE::log l => text, from package main
#   {"cmd":"catch","level":l}            AnyEvent::MP::LogCatcher::catch l (null stops)
# Exits when stdin closes.

use strict;
use warnings;
use AnyEvent;
use AnyEvent::Log;
use AnyEvent::MP;
use AnyEvent::MP::Kernel;
use JSON::XS;

my $JSON = JSON::XS->new->utf8->canonical->allow_nonref;

sub out {
   my (%kv) = @_;
   syswrite STDOUT, $JSON->encode (\%kv) . "\n";
}

my %cfg = (nodeid => "perl", bind => "127.0.0.1:*", seeds => "", secret => "logcatcher-secret", framing => "");
for (@ARGV) {
   /^([a-z_]+)=(.*)$/s or die "usage: $0 key=value... (got '$_')\n";
   $cfg{$1} = $2;
}

sub list { [grep length, split /,/, $_[0]] }

my %conf = (
   norc   => 1,
   nodeid => $cfg{nodeid},
   binds  => list ($cfg{bind}),
   seeds  => list ($cfg{seeds}),
   secret => $cfg{secret},
);
$conf{framing_format} = list ($cfg{framing}) if length $cfg{framing};

# every message of every level, as the collecting context sees it
our $PRINTER = AnyEvent::Log::Ctx->new (
   title  => "logcatcher-peer",
   level  => "all",
   fmt_cb => sub { [$_[1]->title, $_[2], $_[3]] },
   log_cb => sub {
      my ($ctx, $level, $msg) = @{ $_[0] };
      out (event => "log", ctx => $ctx, level => $level + 0, msg => $msg);
      0
   },
);
$AnyEvent::Log::COLLECT->attach ($PRINTER);

configure %conf;

my %CMD = (
   log => sub {
      my ($c) = @_;
      AE::log $c->{level} => $c->{msg};
   },
   catch => sub {
      my ($c) = @_;
      require AnyEvent::MP::LogCatcher;
      AnyEvent::MP::LogCatcher::catch ($c->{level});
   },
);

my $stdin_buf = "";
our $STDIN_WATCH = AE::io *STDIN, 0, sub {
   my $n = sysread STDIN, $stdin_buf, 65536, length $stdin_buf;
   exit 0 unless $n;
   while ($stdin_buf =~ s/^([^\n]*)\n//) {
      my $line = $1;
      next unless $line =~ /\S/;
      my $c = eval { $JSON->decode ($line) };
      my $cmd = ref $c eq "HASH" && $CMD{$c->{cmd} // ""};
      unless ($cmd) {
         out (event => "error", error => "bad command: $line");
         next;
      }
      eval { $cmd->($c); 1 }
         or out (event => "error", error => "$@");
   }
};

out (event => "ready", node => $NODE, binds => $AnyEvent::MP::Kernel::BINDS);

AE::cv->recv;
