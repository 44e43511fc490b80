#!/usr/bin/env bash
# cli-startup.sh - wall time and peak memory of short-lived aemp commands: Java's ./aemp (with the
# JVM settings and class-data archive of the launcher) and, when AEMP_PERL5LIB is set, Perl's aemp,
# against the same Java seed node on 127.0.0.1. Prints a Markdown table: best and median of N runs.
#
# Usage:  benchmarks/cli-startup.sh [runs=N] [commands=snd,cal,mon,profile,showconfig] [java_only=1]
#                                  [aemp=<launcher>] [label=<name of its rows>]
# Needs aemp-cli/target/aemp.jar (./aemp builds it on first use, with the archive). aemp= measures
# another launcher instead of this checkout's ./aemp (e.g. an older checkout's, for a before/after).
# Perl rows run when AEMP_PERL5LIB points at the lib folder of AnyEvent::MP 2.02; its aemp script is
# AEMP_PERL_AEMP (default: <AEMP_PERL5LIB>/../bin/aemp).
#
# Wall time is measured around each process (date +%s%N); peak memory is the maximum resident set
# size from GNU time (%M). The seed runs in its own JVM for the whole benchmark, and every command
# uses a scratch rc file (PERL_ANYEVENT_MP_RC), never ~/.perl-anyevent-mp.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
runs=${RUNS:-15}
commands=${COMMANDS:-snd,cal,mon,profile,showconfig}
java_only=${JAVA_ONLY:-0}
launcher=${AEMP:-$root/aemp}
label=${LABEL:-java}
for arg in "$@"; do
   case $arg in
      runs=*) runs=${arg#*=} ;;  commands=*) commands=${arg#*=} ;;  java_only=*) java_only=${arg#*=} ;;
      aemp=*) launcher=${arg#*=} ;;  label=*) label=${arg#*=} ;;
      *) echo "unknown argument '$arg'" >&2; exit 2 ;;
   esac
done
[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time): apt-get install time" >&2; exit 1; }

aemp_java=("$launcher")
aemp_perl=()
if [ "$java_only" != 1 ] && [ -n "${AEMP_PERL5LIB:-}" ]; then
   perl_script=${AEMP_PERL_AEMP:-$AEMP_PERL5LIB/../bin/aemp}
   if [ -f "$perl_script" ]; then
      aemp_perl=(perl -I"$AEMP_PERL5LIB" "$perl_script")
   else
      echo "no Perl aemp at $perl_script (set AEMP_PERL_AEMP): Perl rows skipped" >&2
   fi
elif [ "$java_only" != 1 ]; then
   echo "AEMP_PERL5LIB not set: Perl rows skipped" >&2
fi

work=$(mktemp -d)
seed_pid=
cleanup() {
   if [ -n "$seed_pid" ]; then kill "$seed_pid" 2>/dev/null || true; wait "$seed_pid" 2>/dev/null || true; fi
   rm -rf "$work"
}
trap cleanup EXIT
export PERL_ANYEVENT_MP_RC=$work/bench.rc

# a free port for the seed: the OS picks one for a socket we close at once
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
       || echo $((40000 + RANDOM % 20000)))
"${aemp_java[@]}" gensecret profile seed nodeid seed binds "127.0.0.1:$port" seeds "127.0.0.1:$port" \
   addservice Aemp::Echo profile aemp binds '127.0.0.1:*' seeds "127.0.0.1:$port" >/dev/null
"${aemp_java[@]}" run seed >"$work/seed.out" 2>&1 &
seed_pid=$!
for _ in $(seq 100); do
   grep -q "is up" "$work/seed.out" 2>/dev/null && break
   sleep 0.1
done
grep -q "is up" "$work/seed.out" || { echo "the seed did not start:" >&2; cat "$work/seed.out" >&2; exit 1; }

# the words of each command
words() {
   case $1 in
      snd) echo "snd seed#echo hello" ;;
      cal) echo "cal seed#echo hello" ;;
      mon) echo "mon seed#nosuch" ;;            # answered at once: no_such_port
      profile) echo "profile bench setnodeid bench" ;;
      showconfig) echo "showconfig seed" ;;
      *) echo "unknown command '$1'" >&2; exit 2 ;;
   esac
}

# one_run IMPL WORDS...: prints "<wall ms> <peak KB>"
one_run() {
   local t0 t1
   t0=$(date +%s%N)
   /usr/bin/time -f %M -o "$work/rss" "$@" >/dev/null 2>"$work/err" || {
      echo "failed: $* ($(cat "$work/err"))" >&2; return 1; }
   t1=$(date +%s%N)
   echo "$(( (t1 - t0) / 1000000 )) $(tail -1 "$work/rss")"
}

# best_median FILE COLUMN SCALE: the smallest and the median value of a column, divided by SCALE
best_median() {
   cut -d' ' -f"$2" "$1" | sort -n | awk -v s="$3" '{ v[NR] = $1 } END {
      m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      printf "%.2f | %.2f", v[1] / s, m / s }'
}

load=$(cut -d' ' -f1 /proc/loadavg)
echo "aemp start-up, $runs runs per row, $(date -u +%Y-%m-%d), $(nproc) cores, load $load before the runs"
echo "$(java -version 2>&1 | head -1); $(perl -e 'printf "perl %vd", $^V')"
echo
echo "| command | aemp | wall best s | wall median s | peak RSS best MB | peak RSS median MB |"
echo "|---|---|---:|---:|---:|---:|"
IFS=, read -r -a cmds <<<"$commands"
for c in "${cmds[@]}"; do
   read -r -a w <<<"$(words "$c")"
   impls=("$label")
   [ ${#aemp_perl[@]} -gt 0 ] && impls+=(perl)
   for impl in "${impls[@]}"; do
      if [ "$impl" = perl ]; then cmd=("${aemp_perl[@]}"); else cmd=("${aemp_java[@]}"); fi
      one_run "${cmd[@]}" "${w[@]}" >/dev/null   # warm the page cache
      for _ in $(seq "$runs"); do one_run "${cmd[@]}" "${w[@]}"; done >"$work/times"
      echo "| \`${w[*]}\` | $impl | $(best_median "$work/times" 1 1000) | $(best_median "$work/times" 2 1024) |"
   done
done
echo
echo "load after the runs: $(cut -d' ' -f1 /proc/loadavg)"
