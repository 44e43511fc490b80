#!/usr/bin/perl
# dataconn-peer.pl - an AnyEvent::MP 2.02 node for the Java DataConn interop test
# (org.aemp.interop.DataConnPerlLiveTest): it takes data connections and opens them, and checks
# the bytes that cross them.
#
#   perl dataconn-peer.pl key=value...
#
# Keys: nodeid (default perl-dc/%u), bind (default 127.0.0.1:*), secret (default interop-secret),
# certfile (a PEM file: key, certificate and trusted CAs; TLS when the Java node has one too).
#
# The byte check: each end writes a stream and reads the other's, and reports the byte counts
# and the SHA-256 of what it wrote and of what it read. The stream this script writes, for a
# seed: 1 MiB blocks, block k being the 32-byte SHA-256 digests of "<seed>/0", "<seed>/1", ...,
# "<seed>/32767" one after the other, with the first 4 bytes replaced by k (big-endian), so that
# no two blocks are alike; the last block is cut to the length asked for.
#
# Serves the init function DataConnPeer::receiver (label, bytes to read, bytes to write, seed,
# handle): runs the check on the handle it is given.
#
# Reads commands from stdin, one JSON object per line:
#   {"cmd":"connect_to","id":..,"node":n,"address":"host:port","timeout":s,"func":f,"args":[..],
#    "receive":bytes,"send":bytes,"seed":s}
#      runs AnyEvent::MP::DataConn::connect_to n, s, f, @args from a new port and the check on
#      the handle it gets (the label is the id). AnyEvent::MP 2.02's connect_to looks the node's
#      addresses up in %AnyEvent::MP::Global::addr, which 2.x no longer fills, so it can never
#      connect by itself; this test-side shim fills the entry with "address" first.
#   {"cmd":"quit"}
# Logs to stdout, one JSON object per line:
#   {"event":"ready","node":..,"binds":[..]}
#   {"event":"receiving","id":label}                        the receiver was called
#   {"event":"connected","id":..}                           connect_to's callback was called
#   {"event":"dataconn_failed","id":..,"reason":[..]}       connect_to's port was killed
#   {"event":"transfer","id":label,"received":n,"received_sha256":hex,"sent":n,"sent_sha256":hex,
#    "seconds":s}                                          a check is done (both ways)
#   {"event":"transfer_closed","id":label,"error":..}       the handle reached EOF or failed
#   {"event":"error","error":..}
# Exits when stdin closes.

use strict;
use warnings;
use AnyEvent;
use AnyEvent::MP;
use AnyEvent::MP::Kernel;
use AnyEvent::MP::DataConn;
use Digest::SHA;
use JSON::XS;

my $JSON = JSON::XS->new->utf8->canonical;

sub out {
   my (%kv) = @_;
   syswrite STDOUT, $JSON->encode (\%kv) . "\n";
}

my %cfg = (nodeid => "perl-dc/%u", bind => "127.0.0.1:*", secret => "interop-secret", certfile => "");
for (@ARGV) {
   /^([a-z_]+)=(.*)$/s or die "usage: $0 key=value... (got '$_')\n";
   $cfg{$1} = $2;
}

my %conf = (norc => 1, nodeid => $cfg{nodeid}, binds => [$cfg{bind}], secret => $cfg{secret});
if (length $cfg{certfile}) {
   open my $fh, "<", $cfg{certfile} or die "$cfg{certfile}: $!\n";
   local $/;
   $conf{cert} = <$fh>;
}

configure %conf;

our %HDL; # the handles of the checks under way, by label

# one block of the stream of $seed (see the top of this file)
sub block {
   my ($seed) = @_;
   join "", map Digest::SHA::sha256 ("$seed/$_"), 0 .. 32767
}

sub check {
   my ($label, $hdl, $to_read, $to_write, $seed) = @_;

   my $in  = Digest::SHA->new (256);
   my $out = Digest::SHA->new (256);
   my ($read, $written, $k, $reported) = (0, 0, 0, 0);
   my $block = block $seed;
   my $t0 = AE::time;

   my $done = sub {
      return if $reported || $read != $to_read || $written != $to_write;
      $reported = 1;
      out (event => "transfer", id => $label, received => $read, received_sha256 => $in->hexdigest,
           sent => $written, sent_sha256 => $out->hexdigest, seconds => AE::time - $t0);
   };
   my $closed = sub {
      my ($h, $error) = @_;
      out (event => "transfer_closed", id => $label, error => $error);
      $h->destroy;
      delete $HDL{$label};
   };

   $hdl->on_error (sub { $closed->($_[0], $_[2]) });
   $hdl->on_eof (sub { $closed->($_[0], "") });
   $hdl->on_read (sub {
      my ($h) = @_;
      $read += length $h->{rbuf};
      $in->add ($h->{rbuf});
      $h->{rbuf} = "";
      $done->();
   });
   # one block at a time: the next when the last one has gone out
   $hdl->on_drain (sub {
      my ($h) = @_;
      if ($written < $to_write) {
         my $n = $to_write - $written;
         $n = length $block if $n > length $block;
         my $chunk = substr pack ("N", $k++) . substr ($block, 4), 0, $n;
         $out->add ($chunk);
         $written += $n;
         $h->push_write ($chunk);
      } else {
         $done->();
      }
   });
   $HDL{$label} = $hdl;
}

sub DataConnPeer::receiver {
   my ($label, $to_read, $to_write, $seed, $hdl) = @_;
   out (event => "receiving", id => $label);
   check ($label, $hdl, $to_read, $to_write, $seed);
}

my %CMD = (
   connect_to => sub {
      my ($c) = @_;
      # the test-side shim for the Perl 2.02 bug described at the top of this file
      $AnyEvent::MP::Global::addr{$c->{node}} = [$c->{address}];
      my $port = port;
      mon $port, sub { out (event => "dataconn_failed", id => $c->{id}, reason => [@_]) };
      peval $port, sub {
         # & skips connect_to's prototype, which would count @args instead of passing them
         &AnyEvent::MP::DataConn::connect_to ($c->{node}, $c->{timeout}, $c->{func}, @{ $c->{args} || [] }, sub {
            my ($hdl) = @_;
            out (event => "connected", id => $c->{id});
            check ($c->{id}, $hdl, $c->{receive}, $c->{send}, $c->{seed});
         });
      };
   },
   quit => sub { exit 0 },
);

my $stdin_buf = "";
our $STDIN_WATCH = AE::io *STDIN, 0, sub {
   my $n = sysread STDIN, $stdin_buf, 65536, length $stdin_buf;
   exit 0 unless $n;
   while ($stdin_buf =~ s/^([^\n]*)\n//) {
      my $line = $1;
      next unless $line =~ /\S/;
      my $c = eval { $JSON->decode ($line) };
      my $cmd = ref $c eq "HASH" && $CMD{$c->{cmd} // ""}
         or out (event => "error", error => "not a command: $line"), next;
      eval { $cmd->($c); 1 }
         or out (event => "error", id => $c->{id}, error => "$@");
   }
};

out (event => "ready", node => $NODE, binds => $AnyEvent::MP::Kernel::BINDS);

AE::cv->recv;
