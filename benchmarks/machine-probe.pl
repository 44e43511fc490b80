#!/usr/bin/env perl
# machine-probe.pl - a few seconds' look at how fast this machine is at what the round-trip table
# depends on, so that a reader can tell whether their machine is of the same kind as the one that
# printed a table: a fixed loop of work on CPU 0 and on CPU 1 (seconds, best of three), and a
# ping-pong of 16 bytes between two Perl processes over loopback TCP with blocking sockets and no
# event loop (round trips/s and median round trip), once with the processes on CPUs 0 and 1, as the
# benchmarks pin their pairs, and once with both on CPU 1. Prints one JSON line.
#
# Usage:  perl benchmarks/machine-probe.pl [seconds=1]
#
# Why: on the 2-core VMs this project is measured on, the same program ran at clearly different
# speeds from one VM, and one hour, to the next, mostly where processes wake each other up across
# cores (window 1). run-all.sh runs this before every round and prints the figures beside its table.
# Needs only core Perl; taskset (util-linux) pins, and without it or a second CPU nothing is pinned
# ("pinned":0).
use strict;
use warnings;
use IO::Socket::INET;
use Socket qw(IPPROTO_TCP TCP_NODELAY);
use Time::HiRes qw(time);
use List::Util qw(min);
use POSIX ();

my $role = @ARGV && $ARGV[0] =~ /^(?:loop|ping|pong)$/ ? shift @ARGV : "main"; # the last three: its own children
my %arg = (seconds => 1);
for (@ARGV) {
   $arg{$1} = $2 if /^(\w+)=(.*)$/;
}
die "machine-probe: seconds must be a positive number\n" unless $arg{seconds} =~ /^\d*\.?\d+$/ && $arg{seconds} > 0;

my $pin = $role eq "main" || $role eq "ping" ? can_pin() : 0; # the others are placed by their parent

if ($role eq "loop") {
   print loop_seconds(), "\n";
} elsif ($role eq "pong") {
   pong($ARGV[0]);
} elsif ($role eq "ping") {
   ping($arg{seconds}, $arg{pong_cpu});
} else {
   my @loop = map { run_on($_, "loop") } 0, 1;
   my ($cross_rate, $cross_p50) = split ' ', run_on(0, "ping", "seconds=$arg{seconds}", "pong_cpu=1");
   my ($same_rate, $same_p50) = split ' ', run_on(1, "ping", "seconds=$arg{seconds}", "pong_cpu=1");
   printf qq({"cpu_loop_s":[%.3f,%.3f],"pingpong_two_cpus_per_s":%d,"pingpong_two_cpus_p50_us":%.1f,)
      . qq("pingpong_one_cpu_per_s":%d,"pingpong_one_cpu_p50_us":%.1f,"pinned":%d,"seconds":%g}\n),
      @loop, $cross_rate, $cross_p50, $same_rate, $same_p50, $pin ? 1 : 0, $arg{seconds};
}

# True if the processes can be put on CPUs 0 and 1.
sub can_pin {
   my $cpus = () = do { open my $f, "<", "/proc/cpuinfo" or return 0; grep /^processor\s*:/, <$f> };
   return $cpus >= 2 && system("taskset -c 0 true >/dev/null 2>&1") == 0;
}

# This script in the role and with the arguments given, on CPU $cpu when pinning; its output.
sub run_on {
   my ($cpu, @args) = @_;
   my @cmd = ($^X, $0, @args);
   unshift @cmd, "taskset", "-c", $cpu if $pin;
   open my $out, "-|", @cmd or die "machine-probe: cannot run @cmd: $!\n";
   local $/;
   my $text = <$out>;
   close $out or die "machine-probe: @cmd failed\n";
   chomp $text;
   return $text;
}

# A fixed amount of integer work, timed three times; the best time.
sub loop_seconds {
   my @t;
   for (1 .. 3) {
      my $t0 = time;
      my $x = 1;
      for my $i (1 .. 2_000_000) {
         $x = ($x * 1103515245 + 12345 + $i) % 2147483648;
      }
      push @t, time - $t0;
      die "unreachable" if $x < 0;
   }
   return min @t;
}

# The timing side: starts the echoing side on CPU $pong_cpu, then sends 16 bytes and waits for them
# back, again and again, for a fifth of a second untimed and $seconds timed. Prints the rate and the
# median round trip in microseconds.
sub ping {
   my ($seconds, $pong_cpu) = @_;
   my $listen = IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => 0, Listen => 1, ReuseAddr => 1,
      Timeout => 10) # accept gives up if the echoing side never comes
      or die "machine-probe: listen: $!\n";
   my $pid = fork // die "machine-probe: fork: $!\n";
   if ($pid == 0) {
      my @cmd = ($^X, $0, "pong", $listen->sockport);
      unshift @cmd, "taskset", "-c", $pong_cpu if $pin;
      exec @cmd or POSIX::_exit(127);
   }
   my $s = $listen->accept or die "machine-probe: the echoing side did not connect: $!\n";
   setsockopt $s, IPPROTO_TCP, TCP_NODELAY, 1;
   my $msg = "x" x 16;
   my $end = time + 0.2;
   while (time < $end) {
      round_trip($s, $msg);
   }
   my (@rtt, $t);
   my $t0 = time;
   $end = $t0 + $seconds;
   while (($t = time) < $end) {
      round_trip($s, $msg);
      push @rtt, time - $t;
   }
   my $elapsed = time - $t0;
   syswrite $s, "q" x 16;
   close $s;
   waitpid $pid, 0;
   @rtt = sort { $a <=> $b } @rtt;
   printf "%d %.1f\n", @rtt / $elapsed, 1e6 * $rtt[@rtt / 2];
}

sub round_trip {
   my ($s, $msg) = @_;
   syswrite($s, $msg) == 16 or die "machine-probe: write: $!\n";
   read_exactly($s, 16);
}

sub read_exactly {
   my ($s, $n) = @_;
   my $buf = "";
   while (length $buf < $n) {
      my $got = sysread $s, $buf, $n - length $buf, length $buf;
      die "machine-probe: read: " . (defined $got ? "end of stream" : $!) . "\n" unless $got;
   }
   return $buf;
}

# The echoing side: sends back every 16 bytes it reads until it reads the quit message.
sub pong {
   my ($port) = @_;
   my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1", PeerPort => $port) or die "machine-probe: connect: $!\n";
   setsockopt $s, IPPROTO_TCP, TCP_NODELAY, 1;
   while (1) {
      my $m = read_exactly($s, 16);
      last if $m eq "q" x 16;
      syswrite($s, $m) == 16 or die "machine-probe: write: $!\n";
   }
}
