#!/usr/bin/env bash
# run-all.sh - the performance table of the README in one command: every AEMP pairing the goals of
# issue #13 name, and the anchors (Apache Pekko, Erlang/OTP distribution), in one session on this
# machine, interleaved round by round, the mean of N rounds per cell, printed as ONE Markdown table with
# the machine, the load, and the ratios the goals ask for.
#
# Usage:  AEMP_PERL5LIB=<AnyEvent::MP 2.02 lib> benchmarks/run-all.sh [anchors=<anchors folder>] [key=value...]
# Needs benchmarks/target/aemp-bench.jar (mvn -B -q -pl benchmarks -am package -DskipTests), perl with
# JSON::PP, and for the anchors java + mvn (the Pekko jar is built from Maven Central on first use) and
# erl (apt-get install -y erlang-base erlang-crypto). The anchors folder is ../shared/anchors next to
# the project unless anchors= names another; it must be writable (its run-anchors.sh builds there):
# copy a read-only one first (cp -r ../shared/anchors /tmp/anchors).
#
# Keys:
#   rounds=5      rounds; each runs every cell once (a fresh pair of processes), AEMP cells then the anchors;
#                 a cell shows the mean rate of its rounds and the median of their p50 and p99, so AEMP
#                 and the anchors get the same number of tries. The rate is a mean, not a median: some
#                 cells run at one of two speeds, round by round (pinned Perl pairs; benchmarks/
#                 README.md, "Steady state"), and the median of five such rounds jumps from one speed
#                 to the other when one round changes sides, where the mean moves by a fifth of the gap
#   quick=1       a short check that everything runs: 1 round, small message counts (figures not comparable)
#   anchors=DIR   the anchors folder (with run-anchors.sh, pekko/, erlang/)
#   systems="pekko erlang"   which anchors to run
#   variants="default inline"   AEMP cells as configured by default, and again with inline callbacks
#                 (java_args=inline=1: NodeConfig.inlineCallbacks on the Java side); rows "(inline)"
#   java_opts="-Xms512m -Xmx512m -XX:+AlwaysPreTouch -XX:+UseG1GC"   JVM options of every JVM in the run: the AEMP
#                 programs (run-matrix.sh's java_opts) and Pekko's (run-anchors.sh's JAVA_OPTS), so both
#                 JVMs run alike (run-anchors.sh alone gives Pekko -Xms512m -Xmx512m)
#   pin=1         every echo process (AEMP's, Perl's, Pekko's, Erlang's) on CPU 1, every client on CPU 0,
#                 through benchmarks/pin/ in PATH (see pin-role there and run-matrix.sh); pin=0: unpinned
#   haltpoll=NS   (root, a KVM guest with the haltpoll cpuidle driver) let an idle CPU poll for up to NS ns
#                 before it halts, for the run: /sys/module/haltpoll/parameters/guest_halt_poll_ns, put
#                 back at the end. A halted virtual CPU can take 100 us or more to wake when the other
#                 core's process sends it a message, which window-1 round trips consist of, and some VMs
#                 boot with polling off (guest_halt_poll_ns=0 on the kernel command line); with 200000
#                 such a VM woke the other CPU in 15-24 us (benchmarks/README.md, "Idle CPUs that halt").
#                 Unset: the machine as it is; the table's header says which
#   jar=... perl_dir=...   passed to run-matrix.sh
#   out=FILE      also write the table to FILE
#   keep=DIR      also keep every round's figures there: aemp.md (run-matrix.sh's rows, one per cell and
#                 round), anchors.jsonl (the anchors' JSON lines) and probe.jsonl (machine-probe.pl's), to
#                 compare two runs round by round
# Before each round and after the last, machine-probe.pl takes a few seconds' look at the machine (a
# loopback ping-pong of two Perl processes across CPUs and on one, a fixed loop); the table's header
# gives the range of its figures, so that two runs, or two machines, can be told apart before their
# figures are compared.
# Cells (16-byte payload unless said): Java<->Java json, cbor, kryo at windows 1, 10, 100, and kryo at
# window 100 with 1 KiB; Java echo <- Perl client, Perl echo <- Java client and Perl<->Perl, json and
# cbor, windows 1, 10, 100; the anchors' cells (window 1 / 16 B, window 100 / 16 B and 1 KiB).
# The message counts and warm-ups are run-matrix.sh's defaults (chosen to reach a steady state; see
# benchmarks/README.md); the anchors use theirs (N1=20000, NW=200000) unless N1/NW are set.
set -euo pipefail
say() { echo "# $*" >&2; }

here=$(cd "$(dirname "$0")" && pwd)
rounds=5 quick=0 anchors=$here/../../shared/anchors systems="pekko erlang" out= keep= variants="default inline" pin=1 haltpoll=
java_opts="-Xms512m -Xmx512m -XX:+AlwaysPreTouch -XX:+UseG1GC"
matrix_args=(repeat=1) # one fresh pair of processes per cell and round, as the anchors get
for arg in "$@"; do
   case $arg in
      rounds=*) rounds=${arg#*=} ;;  quick=*) quick=${arg#*=} ;;  anchors=*) anchors=${arg#*=} ;;
      systems=*) systems=${arg#*=} ;;  out=*) out=${arg#*=} ;;  keep=*) keep=${arg#*=} ;;  variants=*) variants=${arg#*=} ;;
      java_opts=*) java_opts=${arg#*=} ;;  pin=*) pin=${arg#*=} ;;  haltpoll=*) haltpoll=${arg#*=} ;;
      jar=*|perl_dir=*) matrix_args+=("$arg") ;;
      *) echo "unknown argument '$arg'" >&2; exit 2 ;;
   esac
done
matrix_args+=("java_opts=$java_opts" "pin=$pin")
pinning="none: the scheduler places every process"
if [ "$pin" = 1 ]; then
   if [ "$(nproc)" -ge 2 ] && command -v taskset > /dev/null; then
      export PATH=$here/pin:$PATH # the anchors' java, erl and perl too
      pinning="every echo process on CPU ${PIN_ECHO_CPUS:-1}, every client on CPU ${PIN_CLIENT_CPUS:-0} (benchmarks/pin/pin-role)"
   else
      say "pin=1 needs 2 CPUs and taskset: running unpinned"
   fi
fi
if [ "$quick" = 1 ]; then
   rounds=1
   matrix_args+=(n_java=20000 n_java_w1=5000 n_perl=3000 java_warmup=20000 java_warmup_w1=5000 echo_warmup=50000 perl_echo_warmup=10000)
   export N1=${N1:-2000} NW=${NW:-20000}
fi
[ -n "${AEMP_PERL5LIB:-}" ] || { echo "AEMP_PERL5LIB is not set: the Perl cells are part of the table" >&2; exit 1; }
[ -x "$anchors/run-anchors.sh" ] || { echo "no $anchors/run-anchors.sh (anchors=DIR)" >&2; exit 1; }
[ -w "$anchors" ] || { echo "$anchors is read-only: copy it (cp -r $anchors /tmp/anchors) and pass anchors=/tmp/anchors" >&2; exit 1; }

poll_ns=/sys/module/haltpoll/parameters/guest_halt_poll_ns
if [ -n "$haltpoll" ]; then
   [[ $haltpoll =~ ^[0-9]+$ ]] || { echo "haltpoll=$haltpoll: a number of nanoseconds" >&2; exit 2; }
   [ -w "$poll_ns" ] || { echo "haltpoll= needs root and the haltpoll cpuidle driver ($poll_ns)" >&2; exit 1; }
   poll_before=$(cat "$poll_ns")
fi
# how an idle CPU waits, for the header: the cpuidle driver and, with haltpoll, how long it polls
idle_note() {
   local driver; driver=$(cat /sys/devices/system/cpu/cpuidle/current_driver 2>/dev/null || echo unknown)
   if [ -r "$poll_ns" ]; then
      echo "cpuidle driver $driver, guest_halt_poll_ns $(cat "$poll_ns")${poll_before:+ (set by haltpoll=; $poll_before before the run)}"
   else
      echo "cpuidle driver $driver"
   fi
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; [ -z "${poll_before:-}" ] || echo "$poll_before" > "$poll_ns"' EXIT
[ -z "$haltpoll" ] || echo "$haltpoll" > "$poll_ns"
idle=$(idle_note)
load1() { cut -d' ' -f1 /proc/loadavg; }
busy_jiffies() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat; }
# CPU seconds of this script's finished children (user + sys), from bash's times: run in this shell
# (a subshell, as in $(...) or a pipe, would count its own children, none), result in $child_cpu
child_cpu() { times > "$tmp/times"; child_cpu=$(tail -1 "$tmp/times" | perl -ne '@t = /(\d+)m([\d.]+)s/g; print $t[0]*60+$t[1]+$t[2]*60+$t[3]'); }

child_cpu; cpu0=$child_cpu
start_s=$(date +%s.%N) load_before=$(load1) jiffies0=$(busy_jiffies)
say "run-all: $rounds round(s), load $load_before"
probe() { perl "$here/machine-probe.pl" >> "$tmp/probe.jsonl" 2>> "$tmp/probe.err" || say "machine-probe.pl failed: $(tail -1 "$tmp/probe.err")"; }
for r in $(seq 1 "$rounds"); do
   say "round $r: machine probe"
   probe
   for variant in $variants; do
      say "round $r: AEMP pairings, $variant (load $(load1))"
      vargs=()
      if [ "$variant" = inline ]; then
         vargs=(java_args=inline=1)
         relabel() { sed -E 's/^\| java \|/| java-i |/; s/^(\| [a-z-]+ \|) java \|/\1 java-i |/'; }
      else
         relabel() { cat; }
      fi
      { "$here/run-matrix.sh" "${matrix_args[@]}" "${vargs[@]}" pairs=java:java codecs="json cbor kryo" windows="1 10 100" sizes=16
        "$here/run-matrix.sh" "${matrix_args[@]}" "${vargs[@]}" pairs=java:java codecs=kryo windows=100 sizes=1024
        if [ "$variant" = default ]; then pp="java:perl perl:java perl:perl"; else pp="java:perl perl:java"; fi
        "$here/run-matrix.sh" "${matrix_args[@]}" "${vargs[@]}" pairs="$pp" codecs="json cbor" windows="1 10 100" sizes=16
      } | relabel >> "$tmp/aemp.md"
   done
   say "round $r: anchors $systems (load $(load1))"
   SYSTEMS=$systems REPEAT=1 JAVA_OPTS="$java_opts" "$anchors/run-anchors.sh" >> "$tmp/anchors.jsonl" 2>> "$tmp/anchors.err" \
      || { say "run-anchors.sh failed:"; tail -20 "$tmp/anchors.err" >&2; }
done
say "machine probe after the last round"
probe
end_s=$(date +%s.%N) load_after=$(load1) jiffies1=$(busy_jiffies)
child_cpu; cpu1=$child_cpu
grep -q '^{' "$tmp/anchors.jsonl" 2>/dev/null || { say "the anchors printed nothing:"; tail -20 "$tmp/anchors.err" >&2; }
if [ -n "$keep" ]; then
   mkdir -p "$keep" && cp "$tmp/aemp.md" "$keep/" && { [ ! -f "$tmp/anchors.jsonl" ] || cp "$tmp/anchors.jsonl" "$keep/"; } \
      && { [ ! -f "$tmp/probe.jsonl" ] || cp "$tmp/probe.jsonl" "$keep/"; }
fi

java_version=$(java -version 2>&1 | head -1 | sed 's/"//g')
erl_version=$(erl -noshell -eval 'io:format("~s", [erlang:system_info(otp_release)]), halt().' 2>/dev/null || echo "?")
perl_version=$(perl -e 'printf "%vd", $^V')
cpu_model=$(grep -m1 '^model name' /proc/cpuinfo | sed 's/.*: //')
hz=$(getconf CLK_TCK)

perl -MJSON::PP -MList::Util=min,max,sum -e '
   my ($md, $jsonl, $rounds, $quick, $date, $nproc, $cpu, $kernel, $java, $perlv, $erl, $lb, $la, $wall, $foreign, $cmd, $jopts, $pinning,
      $probes, $idle) = @ARGV;
   my (%rate, %p50, %p99);   # cell key => [values per round]
   sub add { my ($k, $rate, $p50, $p99) = @_; push @{$rate{$k}}, $rate; push @{$p50{$k}}, $p50; push @{$p99{$k}}, $p99 }
   open my $f, "<", $md or die "$md: $!";
   while (<$f>) {
      next unless /^\| (java|java-i|perl) \|/;
      my @c = map { s/^\s+|\s+$//gr } split /\|/; shift @c;
      my ($echo, $client, $codec, $tls, $w, $size, $rate, $spread, $p50, $p99) = @c;
      add(join("/", $echo, $client, $codec, $w, $size), $rate, $p50, $p99);
   }
   if (open my $a, "<", $jsonl) {
      while (<$a>) {
         next unless /^\{/;
         my $j = decode_json($_);
         my $sys = $j->{framing} =~ /pekko/ ? "pekko" : $j->{framing} =~ /erlang/ ? "erlang" : "perl-anchor";
         add(join("/", $sys, $sys, "-", $j->{window}, $j->{payload_bytes}), $j->{msgs_per_s}, $j->{rtt_us}{p50}, $j->{rtt_us}{p99});
      }
   }
   my %name = ("java/java" => "Java ↔ Java", "java/perl" => "Java echo ← Perl client",
      "perl/java" => "Perl echo ← Java client", "perl/perl" => "Perl ↔ Perl",
      "java-i/java-i" => "Java ↔ Java (inline)", "java-i/perl" => "Java echo (inline) ← Perl client",
      "perl/java-i" => "Perl echo ← Java client (inline)",
      "pekko/pekko" => "Pekko 1.7 Artery TCP (anchor)", "erlang/erlang" => "Erlang/OTP $erl distribution (anchor)");
   my @order = ("java/java", "java-i/java-i", "java/perl", "java-i/perl", "perl/java", "perl/java-i", "perl/perl",
      "pekko/pekko", "erlang/erlang");
   my %rank = map { $order[$_] => $_ } 0 .. $#order;
   my %crank = (json => 0, cbor => 1, kryo => 2, "-" => 3);
   my @keys = sort {
      my @x = split m{/}, $a; my @y = split m{/}, $b;
      ($rank{"$x[0]/$x[1]"} // 9) <=> ($rank{"$y[0]/$y[1]"} // 9) || $crank{$x[2]} <=> $crank{$y[2]}
         || $x[4] <=> $y[4] || $x[3] <=> $y[3] } keys %rate;
   # the middle value (of an even count, the lower middle one); "-" if none is a number
   sub median { my @v = sort { $a <=> $b } grep { $_ ne "-" } @_; @v ? $v[int(($#v) / 2)] : "-" }
   sub mean { my @v = grep { $_ ne "-" } @_; @v ? int(sum(@v) / @v + 0.5) : "-" }
   sub mean_rate { mean @{$rate{$_[0]}} }
   sub median_p50 { median @{$p50{$_[0]}} }
   print "## Round trips on this machine, $date\n\n";
   print "Machine: $nproc cores ($cpu), Linux $kernel, $java, Perl $perlv with AnyEvent::MP 2.02, Erlang/OTP $erl.\n";
   print "JVM options of every JVM (AEMP and Pekko): `$jopts`. Processes pinned: $pinning.\n";
   print "Idle CPUs: $idle.\n";
   printf "Load (1 min) %s before, %s after; other processes used %.2f cores on average during the %.0f s run.\n", $lb, $la, $foreign, $wall;
   print "Command: `$cmd`", ($quick ? " (quick=1: short runs, a check that everything works; the figures are not steady)" : ""), ".\n";
   print "Loopback, one echo process and one client process per cell. Each cell: $rounds round(s), AEMP and anchors interleaved;\n";
   print "rate: the mean of the rounds, spread: their lowest-highest; RTT p50 and p99: the median of the rounds, each on its own.\n";
   my %probe; # figure => [values, one per probe]
   if (open my $p, "<", $probes) {
      while (<$p>) {
         next unless /^\{/;
         my $j = decode_json($_);
         push @{$probe{$_}}, $j->{$_} for qw(pingpong_two_cpus_per_s pingpong_two_cpus_p50_us pingpong_one_cpu_per_s cpu_loop_s);
      }
   }
   if (%probe) {
      sub span { my @v = @_; min(@v) == max(@v) ? $v[0] : min(@v) . "–" . max(@v) }
      my @loops = map { @$_ } @{$probe{cpu_loop_s}};
      printf "Machine probe (`benchmarks/machine-probe.pl`, %d times: before each round and after the last):\n"
         . "a ping-pong of 16 bytes between two Perl processes over loopback: %s round trips/s on CPUs 0 and 1\n"
         . "(p50 %s µs), %s on one CPU; a fixed loop: %s s. Where the probe of another run differs, its machine is\n"
         . "not of the same kind for these figures.\n",
         scalar @{$probe{cpu_loop_s}}, span(@{$probe{pingpong_two_cpus_per_s}}), span(@{$probe{pingpong_two_cpus_p50_us}}),
         span(@{$probe{pingpong_one_cpu_per_s}}), span(@loops);
   }
   print "\n";
   print "| pairing | framing | window | payload B | round trips/s | spread | RTT p50 µs | p99 µs |\n";
   print "|---|---|---:|---:|---:|---|---:|---:|\n";
   for my $k (@keys) {
      my ($e, $c, $codec, $w, $size) = split m{/}, $k;
      my @r = @{$rate{$k}};
      printf "| %s | %s | %s | %s | %d | %s | %s | %s |\n", $name{"$e/$c"} // "$e/$c", $codec, $w, $size, mean(@r),
         (@r > 1 ? min(@r) . "–" . max(@r) : "-"), median(@{$p50{$k}}), median(@{$p99{$k}});
   }
   my @goals;
   sub ratio { my ($what, $a, $b, $goal, $le, $blabel) = @_;
      return unless defined $a && defined $b && $b > 0;
      my $q = $a / $b;
      push @goals, sprintf "| %s | %s | %.2f | %s %s | %s |", $what, "$a vs " . ($blabel // $b), $q, $le ? "≤" : "≥", $goal,
         ($le ? $q <= $goal : $q >= $goal) ? "yes" : "no" }
   my $erl1 = exists $rate{"erlang/erlang/-/1/16"} ? median_p50("erlang/erlang/-/1/16") : undef;
   my %perl1 = map { $_ => (exists $rate{"perl/perl/$_/1/16"} ? median_p50("perl/perl/$_/1/16") : undef) } qw(json cbor);
   my $perlbest = min grep { defined } values %perl1;
   for my $j ("java", "java-i") {
      my $tag = $j eq "java" ? "" : " (inline)";
      for my $codec (qw(json cbor kryo)) {
         my $k = "$j/$j/$codec/1/16";
         next unless exists $rate{$k};
         ratio("window 1 p50, Java ↔ Java$tag $codec / Erlang (µs)", median_p50($k), $erl1, 1, 1);
         my $pp = $codec eq "kryo" ? $perlbest : $perl1{$codec};
         ratio("window 1 p50, Java ↔ Java$tag $codec / Perl ↔ Perl " . ($codec eq "kryo" ? "(its best framing)" : $codec) . " (µs)",
            median_p50($k), $pp, 1, 1);
      }
      for my $pair (["$j/perl", "Java echo$tag ← Perl client"], ["perl/$j", "Perl echo ← Java client$tag"]) {
         for my $codec (qw(json cbor)) {
            for my $w (1, 10, 100) {
               my $k = "$pair->[0]/$codec/$w/16"; my $pp = "perl/perl/$codec/$w/16";
               next unless exists $rate{$k} && exists $rate{$pp};
               ratio("$pair->[1] / Perl ↔ Perl, $codec, window $w (round trips/s)", mean_rate($k), mean_rate($pp), 0.95, 0);
            }
         }
      }
      if (exists $rate{"$j/$j/kryo/100/16"} && exists $rate{"pekko/pekko/-/100/16"}) {
         ratio("Java ↔ Java$tag kryo window 100 / (3 × Pekko) (round trips/s)", mean_rate("$j/$j/kryo/100/16"),
            3 * mean_rate("pekko/pekko/-/100/16"), 1, 0, "3 × " . mean_rate("pekko/pekko/-/100/16"));
      }
      ratio("Java ↔ Java$tag kryo window 100, 1 KiB / 250,000 (round trips/s)", mean_rate("$j/$j/kryo/100/1024"), 250000, 1, 0, "250k")
         if exists $rate{"$j/$j/kryo/100/1024"};
   }
   print "\n| goal (issue #13) | figures | ratio | goal | met |\n|---|---|---:|---|---|\n", join("\n", @goals), "\n";
' "$tmp/aemp.md" "$tmp/anchors.jsonl" "$rounds" "$quick" "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(nproc)" "$cpu_model" \
  "$(uname -r)" "$java_version" "$perl_version" "$erl_version" "$load_before" "$load_after" \
  "$(awk -v a="$start_s" -v b="$end_s" 'BEGIN { print b - a }')" \
  "$(awk -v j0="$jiffies0" -v j1="$jiffies1" -v hz="$hz" -v c0="$cpu0" -v c1="$cpu1" -v a="$start_s" -v b="$end_s" \
      'BEGIN { f = ((j1 - j0) / hz - (c1 - c0)) / (b - a); print (f < 0 ? 0 : f) }')" \
  "benchmarks/run-all.sh $*" "$java_opts" "$pinning" "$tmp/probe.jsonl" "$idle" | if [ -n "$out" ]; then tee "$out"; else cat; fi
