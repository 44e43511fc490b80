#!/usr/bin/env bash
# compare-builds.sh - throughput of two builds side by side in one run: Java echo node and Java
# client of the same build, window 100, 16-byte payload, every framing; the builds take turns
# round by round (so a busy moment of the machine hits both alike), and each cell reports the
# median and best of its rounds, and after/before.
#
# Usage:  benchmarks/compare-builds.sh BEFORE.jar AFTER.jar [rounds=5] [codecs="json cbor kryo"] [window=100] [size=16]
#                                      [before_args=...] [after_args=...]
# before_args/after_args: extra key=value arguments for that side's Java programs (run-matrix.sh's
# java_args), so one jar can also be compared with itself under two settings (e.g. after_args=inline=1).
# Make a build's jar with: git worktree add /tmp/before <commit> && (cd /tmp/before &&
#   mvn -B -q -pl benchmarks -am package -DskipTests) ; the jar is benchmarks/target/aemp-bench.jar.
# Each cell is one run of run-matrix.sh (its defaults: a fresh, warmed echo node per run).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 2 ] || { sed -n 2,10p "$0" >&2; exit 2; }
before=$1 after=$2; shift 2
rounds=5 codecs="json cbor kryo" window=100 size=16 before_args= after_args=
for arg in "$@"; do
   case $arg in
      rounds=*) rounds=${arg#*=} ;; codecs=*) codecs=${arg#*=} ;; window=*) window=${arg#*=} ;; size=*) size=${arg#*=} ;;
      before_args=*) before_args=${arg#*=} ;; after_args=*) after_args=${arg#*=} ;;
      *) echo "unknown argument '$arg'" >&2; exit 2 ;;
   esac
done
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
echo "# compare-builds: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(java -version 2>&1 | head -1), load $(cut -d' ' -f1 /proc/loadavg)" >&2
for r in $(seq 1 "$rounds"); do
   for codec in $codecs; do
      for build in before after; do
         jar=$before extra=$before_args; [ $build = before ] || { jar=$after; extra=$after_args; }
         line=$("$here/run-matrix.sh" "jar=$jar" "java_args=$extra" pairs=java:java "codecs=$codec" "windows=$window" "sizes=$size" repeat=1 \
                | awk -F'|' 'NR>2 {gsub(/ /,"",$8); gsub(/ /,"",$10); print $8, $10}')
         echo "$codec $build $line" >> "$tmp/rates"
         echo "# round $r $codec $build: $line (msgs/s, p50 us)" >&2
      done
   done
done
printf '| framing | before msgs/s (median) | after msgs/s (median) | after/before | before best | after best | after/before (best) | before p50 µs (median) | after p50 µs (median) |\n'
printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|\n'
for codec in $codecs; do
   perl -e '
      my ($codec, %r, %p) = (shift);
      while (<STDIN>) { my ($c, $b, $v, $l) = split; next unless $c eq $codec; push @{$r{$b}}, $v; push @{$p{$b}}, $l }
      sub med { my @s = sort { $a <=> $b } @_; @s % 2 ? $s[$#s/2] : ($s[@s/2-1] + $s[@s/2]) / 2 }
      sub max { my $m = 0; $_ > $m and $m = $_ for @_; $m }
      my ($mb, $ma, $bb, $ba) = (med(@{$r{before}}), med(@{$r{after}}), max(@{$r{before}}), max(@{$r{after}}));
      printf "| %s | %d | %d | %.3f | %d | %d | %.3f | %.1f | %.1f |\n", $codec, $mb, $ma, $ma/$mb, $bb, $ba, $ba/$bb,
         med(@{$p{before}}), med(@{$p{after}});
   ' "$codec" < "$tmp/rates"
done
