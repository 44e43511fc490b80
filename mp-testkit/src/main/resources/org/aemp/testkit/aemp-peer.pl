#!/usr/bin/perl
# aemp-peer.pl - the Perl AnyEvent::MP 2.02 node that the tests talk to (mp-testkit's PerlPeer).
#
#   perl aemp-peer.pl key=value...
#
# Keys: nodeid (default perl/%u), bind (comma list, default 127.0.0.1:*),
# seeds (comma list, default none), secret (default interop-secret),
# framing (comma list for framing_format; default: AnyEvent::MP's cbor,json,storable),
# global (1: load AnyEvent::MP::Global, so the node is a global node and can be a seed).
# AnyEvent::MP itself is found through PERL5LIB (set it to $AEMP_PERL5LIB).
#
# Serves:
#   <node>#echo   (reply, @payload)  -> snd reply, @payload
#   <node>#rpc    (@args, reply)     -> snd reply, "rpc_reply", @args   (the shape cal sends)
#   AempPeer::echo (reply, @args), spawnable: sends (spawned, $SELF, @args) to reply, then
#                  ("kil", @r) -> kil $SELF, @r; ("die", @r) -> dies; ("exit") -> kil $SELF;
#                  anything else -> snd reply, "echo", $SELF, @msg
#   AempPeer::sink (@args), spawnable: takes every message, answers none
#
# Reads commands from stdin, one JSON object per line, each with an "id" the answer repeats.
# A message element {"$REPLY":1} becomes a fresh reply port that logs
# {"event":"reply","id":..,"msg":[...]} for every message it gets. (An object, not a string,
# so that no number is compared as a string: JSON::XS would then send it as a string.)
#   {"cmd":"send",  "id":..,"to":port,"msg":[...]}             snd to, @msg
#   {"cmd":"ping",  "id":..,"to":port,"msg":[...]}             snd to, $REPLY, @msg (an #echo-style ping)
#   {"cmd":"spawn", "id":..,"node":n,"func":f,"args":[...]}    logs {"event":"spawned","port":..}
#   {"cmd":"mon",   "id":..,"port":p}                          logs {"event":"mon_fired","reason":[...]}
#   {"cmd":"kil",   "id":..,"port":p,"reason":[...]}
#   {"cmd":"cal",   "id":..,"to":port,"msg":[...],"timeout":s} logs {"event":"cal_result","msg":[...]}
#   {"cmd":"db_set","id":..,"family":f,"key":k,"value":v}       db_set (the guard is kept)
#   {"cmd":"db_del","id":..,"family":f,"key":k}                 db_del
#   {"cmd":"db_reg","id":..,"family":f,"value":v}               db_reg of this node's #echo port
#   {"cmd":"db_keys","id":..,"family":f}                        logs {"event":"db_keys","keys":[...]}
#   {"cmd":"db_family","id":..,"family":f}                      logs {"event":"db_family","family":{...}}
#   {"cmd":"db_mon","id":..,"family":f}                         logs {"event":"db_mon","family":{..},
#                                                                  "added":[..],"changed":[..],"deleted":[..]}
#   {"cmd":"quit"}
# and logs to stdout, one JSON object per line: {"event":"ready","node":..,"binds":[..]},
# node_up / node_down (with "reason"), rcv (what #echo, #rpc and spawned ports got), errors.
# Exits when stdin closes.

use strict;
use warnings;
use AnyEvent;
use AnyEvent::MP;
use AnyEvent::MP::Kernel;
use JSON::XS;

my $JSON = JSON::XS->new->utf8->canonical->allow_nonref->allow_blessed->convert_blessed;

sub out {
   my (%kv) = @_;
   syswrite STDOUT, $JSON->encode (\%kv) . "\n";
}

my %cfg = (nodeid => "perl/%u", bind => "127.0.0.1:*", seeds => "", secret => "interop-secret", framing => "",
           global => 0);
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

our $NODES_GUARD = mon_nodes sub {
   my ($node, $up, @reason) = @_;
   out (event => $up ? "node_up" : "node_down", node => $node, reason => \@reason);
};

require AnyEvent::MP::Global if $cfg{global};

configure %conf;

rcv "$NODE#echo", sub {
   my ($reply, @payload) = @_;
   out (event => "rcv", port => "$NODE#echo", msg => [@_]);
   snd $reply, @payload;
};

rcv "$NODE#rpc", sub {
   my @args = @_;
   my $reply = pop @args;
   out (event => "rcv", port => "$NODE#rpc", msg => [@_]);
   snd $reply, rpc_reply => @args;
};

# replaces {"$REPLY":1} elements by a new port that logs what it gets, tagged with $id
sub with_reply {
   my ($id, @msg) = @_;
   map {
      ref eq "HASH" && exists $_->{'$REPLY'}
         ? port { out (event => "reply", id => $id, msg => [@_]) }
         : $_
   } @msg
}

our %GUARD; # keeps db guards alive

my %CMD = (
   send => sub {
      my ($c) = @_;
      snd $c->{to}, with_reply $c->{id}, @{ $c->{msg} || [] };
   },
   ping => sub {
      my ($c) = @_;
      snd $c->{to}, with_reply $c->{id}, { '$REPLY' => 1 }, @{ $c->{msg} || [] };
   },
   spawn => sub {
      my ($c) = @_;
      my $port = spawn $c->{node}, $c->{func}, with_reply $c->{id}, @{ $c->{args} || [] };
      out (event => "spawned", id => $c->{id}, port => $port);
   },
   mon => sub {
      my ($c) = @_;
      my $port = $c->{port};
      mon $port, sub { out (event => "mon_fired", id => $c->{id}, port => $port, reason => [@_]) };
      out (event => "monitoring", id => $c->{id}, port => $port);
   },
   kil => sub {
      my ($c) = @_;
      kil $c->{port}, @{ $c->{reason} || [] };
      out (event => "killed", id => $c->{id}, port => $c->{port});
   },
   cal => sub {
      my ($c) = @_;
      cal $c->{to}, @{ $c->{msg} || [] }, sub { out (event => "cal_result", id => $c->{id}, msg => [@_]) },
         $c->{timeout} // 10;
   },
   db_set => sub {
      my ($c) = @_;
      $GUARD{"set $c->{family} $c->{key}"} = db_set $c->{family} => $c->{key} => $c->{value};
   },
   db_del => sub {
      my ($c) = @_;
      delete $GUARD{"set $c->{family} $c->{key}"};
      db_del $c->{family} => $c->{key};
   },
   db_reg => sub {
      my ($c) = @_;
      $GUARD{"reg $c->{family}"} = db_reg $c->{family} => "$NODE#echo" => $c->{value};
   },
   db_keys => sub {
      my ($c) = @_;
      db_keys $c->{family} => sub { out (event => "db_keys", id => $c->{id}, keys => [sort @{ $_[0] }]) };
   },
   db_family => sub {
      my ($c) = @_;
      db_family $c->{family} => sub { out (event => "db_family", id => $c->{id}, family => $_[0]) };
   },
   db_mon => sub {
      my ($c) = @_;
      $GUARD{"mon $c->{family}"} = db_mon $c->{family} => sub {
         my ($f, $a, $ch, $d) = @_;
         out (event => "db_mon", id => $c->{id}, family => {%$f}, added => $a || [], changed => $ch || [],
              deleted => $d || []);
      };
   },
   quit => sub { exit 0 },
);


my $stdin_buf = "";
our $STDIN_WATCH = AE::io *STDIN, 0, sub {
   my $n = sysread STDIN, $stdin_buf, 65536, length $stdin_buf;
   unless ($n) {
      out (event => "exit");
      exit 0;
   }
   while ($stdin_buf =~ s/^([^\n]*)\n//) {
      my $line = $1;
      next unless $line =~ /\S/;
      my $c = eval { $JSON->decode ($line) };
      unless (ref $c eq "HASH") {
         out (event => "error", error => "not a JSON object: $line");
         next;
      }
      my $cmd = $CMD{$c->{cmd} // ""};
      unless ($cmd) {
         out (event => "error", id => $c->{id}, error => "unknown command '" . ($c->{cmd} // "") . "'");
         next;
      }
      eval { $cmd->($c); 1 }
         or out (event => "error", id => $c->{id}, error => "$@");
   }
};

out (event => "ready", node => $NODE, binds => $AnyEvent::MP::Kernel::BINDS);

AE::cv->recv;

package AempPeer;

use AnyEvent::MP;

sub echo {
   my ($reply, @args) = @_;
   my $self = $SELF;
   rcv $self, sub {
      my @msg = @_;
      main::out (event => "rcv", port => $self, msg => \@msg);
      my $tag = $msg[0] // "";
      if ($tag eq "kil") {
         shift @msg;
         kil $self, @msg;
      } elsif ($tag eq "die") {
         shift @msg;
         die join (" ", @msg) . "\n";
      } elsif ($tag eq "exit") {
         kil $self;
      } else {
         snd $reply, echo => $self, @msg;
      }
   };
   snd $reply, spawned => $self, @args;
}

sub sink {
   my $self = $SELF;
   rcv $self, sub { main::out (event => "rcv", port => $self, msg => [@_]) };
}
