#!/usr/bin/env bash
# compare-builds.sh - throughput of two builds side by side in one run: Java echo node and Java
# client of the same build, window 100, 16-byte payload, every framing; the builds take turns
# round by round (so a busy moment of the machine hits both alike), and each cell reports the
# median and best of its rounds, and after/before.
#
# Usage:  benchmarks/compare-builds.sh BEFORE.jar AFTER.jar [rounds=5] [codecs="json cbor kryo"] [window=100] [size=16]
# Make a build's jar with: git worktree add /tmp/before <commit> && (cd /tmp/before &&
#   mvn -B -q -pl benchmarks -am package -DskipTests) ; the jar is benchmarks/target/aemp-bench.jar.
# Each cell is one run of run-matrix.sh (its defaults: a fresh, warmed echo node per run).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 2 ] || { sed -n 2,10p "$0" >&2; exit 2; }
before=$1 after=$2; shift 2
rounds=5 codecs="json cbor kryo" window=100 size=16
for arg in "$@"; do
   case $arg in
      rounds=*) rounds=${arg#*=} ;; codecs=*) codecs=${arg#*=} ;; window=*) window=${arg#*=} ;; size=*) size=${arg#*=} ;;
      *) echo "unknown argument '$arg'" >&2; exit 2 ;;
   esac
done
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
echo "# compare-builds: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(java -version 2>&1 | head -1), load $(cut -d' ' -f1 /proc/loadavg)" >&2
for r in $(seq 1 "$rounds"); do
   for codec in $codecs; do
      for build in before after; do
         jar=$before; [ $build = before ] || jar=$after
         rate=$("$here/run-matrix.sh" "jar=$jar" pairs=java:java "codecs=$codec" "windows=$window" "sizes=$size" repeat=1 \
                | awk -F'|' 'NR>2 {gsub(/ /,"",$8); print $8}')
         echo "$codec $build $rate" >> "$tmp/rates"
         echo "# round $r $codec $build: $rate msgs/s" >&2
      done
   done
done
printf '| framing | before median | after median | after/before (median) | before best | after best | after/before (best) |\n'
printf '|---|---:|---:|---:|---:|---:|---:|\n'
for codec in $codecs; do
   perl -e '
      my ($codec, %r) = (shift);
      while (<STDIN>) { my ($c, $b, $v) = split; push @{$r{$b}}, $v if $c eq $codec }
      sub med { my @s = sort { $a <=> $b } @_; @s % 2 ? $s[$#s/2] : ($s[@s/2-1] + $s[@s/2]) / 2 }
      sub max { my $m = 0; $_ > $m and $m = $_ for @_; $m }
      my ($mb, $ma, $bb, $ba) = (med(@{$r{before}}), med(@{$r{after}}), max(@{$r{before}}), max(@{$r{after}}));
      printf "| %s | %d | %d | %.3f | %d | %d | %.3f |\n", $codec, $mb, $ma, $ma/$mb, $bb, $ba, $ba/$bb;
   ' "$codec" < "$tmp/rates"
done
