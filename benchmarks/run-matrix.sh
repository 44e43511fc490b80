#!/usr/bin/env bash
# run-matrix.sh - round-trip benchmark matrix: Java/Perl echo node x Java/Perl client, every window,
# payload size and framing, and TLS rows when a certificate is given. Prints a Markdown table.
#
# Usage:  benchmarks/run-matrix.sh [cert=<pem file>] [key=value...]
# Needs benchmarks/target/aemp-bench.jar (mvn -pl benchmarks -am verify, or package -DskipTests).
# Perl rows run only when AEMP_PERL5LIB points at the lib folder of an AnyEvent::MP 2.02 installation.
#
# Keys (or environment variables of the same name in upper case):
#   cert=FILE        also run TLS rows with this PEM file (key + self-signed certificate)
#   windows="1 10 100 1000"   sizes="16 1024"   codecs="json cbor kryo"
#   pairs="java:java java:perl perl:java perl:perl"   (echo:client)
#   repeat=5         runs per row, each against a fresh echo node (its own JIT); the table shows the
#                    mean rate of the runs, their spread (lowest-highest) and the median of each RTT
#                    percentile (the rate is a mean because some pairs run at one of two speeds, and a
#                    median of five then jumps from one to the other: run-all.sh, rounds=)
#   n_java=1000000   messages per Java-to-Java row at window 10 and up
#   n_java_w1=100000 messages per Java-to-Java row at window 1
#   n_perl=100000    messages per row with a Perl side at window 10 and up
#   n_perl_w1=30000  messages per row with a Perl side at window 1
#   java_warmup=300000  untimed round trips a Java client makes first at windows 10 and up (its JIT must
#                    be warm: a cold client competes with the C2 compiler for the 2 cores and undersells
#                    either peer); java_warmup_w1=100000 at window 1
#   echo_warmup=500000  untimed round trips (window 100, 16 bytes) every Java echo node gets first
#   perl_echo_warmup=100000  then, where the client is Perl, as many untimed round trips (window 100,
#                    16 bytes) from a Perl client, so that the echo node has compiled what Perl's messages
#                    need before a Perl client's timed runs (without it, pinned to one core, the echo
#                    node's JIT compiled those paths during the window-1 run: p99 311-435 µs instead of
#                    100-119, a third fewer round trips; benchmarks/README.md, "Steady state")
#   java_opts="-Xms512m -Xmx512m -XX:+AlwaysPreTouch -XX:+UseG1GC"   JVM options of both Java programs
#                    (JAVA_OPTS): the heap the anchors give Pekko, touched once at start, so that no page
#                    of it is touched for the first time while a run is timed (on the 2-core VM that first
#                    touch cost window 100 about a third of its rate), and the collector a JVM picks on
#                    any machine of two or more CPUs (pinned to one, it would pick the serial one): see
#                    "Steady state" in benchmarks/README.md
#   java_args=...    extra key=value arguments for both Java programs, e.g. java_args=inline=1
#   pin=1            every echo node on CPU 1, every client on CPU 0 (taskset, through benchmarks/pin/ in
#                    PATH; PIN_ECHO_CPUS and PIN_CLIENT_CPUS choose other CPUs); pin=0: where the
#                    scheduler puts them. Needs 2 CPUs and taskset (util-linux), else runs unpinned. Each
#                    process gets a core, as two nodes on two machines do, and the scheduler's choice
#                    of core (a wake-up across cores costs about 5 µs on the 2-core VM) no longer
#                    varies from run to run; the machine's own slow spells still do (see "Steady
#                    state" in benchmarks/README.md)
#   jar=...          the program (default: benchmarks/target/aemp-bench.jar next to this script)
#   perl_dir=...     folder of echo-node.pl and client.pl (default: ../shared/interop/perl next to the project)
#   raw=FILE         also append every client's JSON line to FILE
# Every echo node binds 127.0.0.1:* (a free port the OS picks), so parallel runs never collide.
# The defaults warm both JVMs up and pin the two processes to a core each; the table shows the mean
# of five fresh pairs of processes: see "Steady state" in benchmarks/README.md for why each of these.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cert=${CERT:-}
windows=${WINDOWS:-"1 10 100 1000"}
sizes=${SIZES:-"16 1024"}
codecs=${CODECS:-"json cbor kryo"}
pairs=${PAIRS:-"java:java java:perl perl:java perl:perl"}
repeat=${REPEAT:-5}
n_java=${N_JAVA:-1000000}
n_java_w1=${N_JAVA_W1:-100000}
n_perl=${N_PERL:-100000}
n_perl_w1=${N_PERL_W1:-30000}
java_warmup=${JAVA_WARMUP:-300000}
java_warmup_w1=${JAVA_WARMUP_W1:-100000}
echo_warmup=${ECHO_WARMUP:-500000}
perl_echo_warmup=${PERL_ECHO_WARMUP:-100000}
java_opts=${JAVA_OPTS:--Xms512m -Xmx512m -XX:+AlwaysPreTouch -XX:+UseG1GC}
java_args=${JAVA_ARGS:-}
pin=${PIN:-1}
jar=${JAR:-$here/target/aemp-bench.jar}
perl_dir=${PERL_DIR:-$here/../../shared/interop/perl}
raw=${RAW:-}
for arg in "$@"; do
   case $arg in
      cert=*) cert=${arg#*=} ;;  windows=*) windows=${arg#*=} ;;  sizes=*) sizes=${arg#*=} ;;
      codecs=*) codecs=${arg#*=} ;;  pairs=*) pairs=${arg#*=} ;;  repeat=*) repeat=${arg#*=} ;;
      n_java=*) n_java=${arg#*=} ;;  n_java_w1=*) n_java_w1=${arg#*=} ;;  n_perl=*) n_perl=${arg#*=} ;;
      n_perl_w1=*) n_perl_w1=${arg#*=} ;;  java_warmup=*) java_warmup=${arg#*=} ;;
      java_warmup_w1=*) java_warmup_w1=${arg#*=} ;;  echo_warmup=*) echo_warmup=${arg#*=} ;;
      perl_echo_warmup=*) perl_echo_warmup=${arg#*=} ;;
      java_opts=*) java_opts=${arg#*=} ;;  java_args=*) java_args=${arg#*=} ;;  jar=*) jar=${arg#*=} ;;  perl_dir=*) perl_dir=${arg#*=} ;;
      pin=*) pin=${arg#*=} ;;
      raw=*) raw=${arg#*=} ;;
      *) echo "unknown argument '$arg'" >&2; exit 2 ;;
   esac
done

[ -f "$jar" ] || { echo "no $jar: build it with mvn -B -q -pl benchmarks -am package -DskipTests" >&2; exit 1; }
[ -z "$cert" ] || [ -f "$cert" ] || { echo "cert file '$cert' not found" >&2; exit 1; }
# the peers read these from the environment too: only the arguments given here may count
unset AEMP_CERT AEMP_FRAMING AEMP_NODEID AEMP_BIND AEMP_SEEDS AEMP_TARGET_PORT AEMP_N AEMP_WINDOW AEMP_SIZE \
      AEMP_AUTH_OFFER AEMP_AUTH_ACCEPT AEMP_SECRET
if [ "$pin" = 1 ]; then
   if [ "$(nproc)" -ge 2 ] && command -v taskset > /dev/null; then
      PATH=$here/pin:$PATH # java, perl: benchmarks/pin/pin-role, which pins echo nodes and clients
   else
      echo "pin=1 needs 2 CPUs and taskset: running unpinned" >&2
   fi
fi
have_perl=0
if [ -n "${AEMP_PERL5LIB:-}" ]; then have_perl=1; else echo "AEMP_PERL5LIB not set: Perl rows skipped" >&2; fi

tmp=$(mktemp -d)
echo_pid=
stop_echo() {
   if [ -n "$echo_pid" ]; then
      kill "$echo_pid" 2>/dev/null || true
      wait "$echo_pid" 2>/dev/null || true
      echo_pid=
   fi
}
trap 'stop_echo; rm -rf "$tmp"' EXIT

# start_echo IMPL FRAMING CERT: starts an echo node on a free port; sets echo_pid and echo_addr
start_echo() {
   local impl=$1 framing=$2 certarg=()
   [ -z "$3" ] || certarg=("cert=$3")
   local log=$tmp/echo.log
   : > "$log"
   if [ "$impl" = java ]; then
      # shellcheck disable=SC2086
      java $java_opts -jar "$jar" echo-node 'bind=127.0.0.1:*' "framing=$framing" "${certarg[@]}" $java_args > "$log" 2>"$tmp/echo.err" &
   else
      perl "$perl_dir/echo-node.pl" 'bind=127.0.0.1:*' quiet=1 "framing=$framing" "${certarg[@]}" > "$log" 2>"$tmp/echo.err" &
   fi
   echo_pid=$!
   for _ in $(seq 1 120); do
      grep -q '"event":"ready"' "$log" && break
      kill -0 "$echo_pid" 2>/dev/null || { echo "echo node ($impl) died:" >&2; cat "$tmp/echo.err" >&2; exit 1; }
      sleep 0.25
   done
   echo_addr=$(grep -o '"binds":\["[^"]*"' "$log" | head -1 | sed 's/.*\["//; s/"$//')
   [ -n "$echo_addr" ] || { echo "echo node ($impl) reported no address" >&2; cat "$log" "$tmp/echo.err" >&2; exit 1; }
}

# run_client IMPL N WINDOW SIZE FRAMING CERT [WARMUP]: prints the client's JSON line
run_client() {
   local impl=$1 n=$2 w=$3 size=$4 framing=$5 certarg=()
   [ -z "$6" ] || certarg=("cert=$6")
   local args=("seeds=$echo_addr" target=echo#echo "n=$n" "window=$w" "size=$size" "framing=$framing" "${certarg[@]}")
   if [ "$impl" = java ]; then
      # shellcheck disable=SC2086
      timeout 600 java $java_opts -jar "$jar" client "${args[@]}" "warmup=${7:-$java_warmup}" $java_args 2>>"$tmp/client.err"
   else
      timeout 600 perl "$perl_dir/client.pl" "${args[@]}" 2>>"$tmp/client.err"
   fi
}

# fields LINE: "msgs_per_s p50 p99 p99.9" ("-" where the client does not report it)
fields() {
   perl -MJSON::PP -e 'my $j = decode_json($ARGV[0]); my $r = $j->{rtt_us};
      print join(" ", $j->{msgs_per_s}, map { defined $r->{$_} ? $r->{$_} : "-" } qw(p50 p99 p99.9)), "\n"' "$1"
}

# median VALUES...: the middle value (of an even count, the lower middle one); "-" if none is a number
median() {
   local v
   v=$(printf '%s\n' "$@" | grep -v '^-$' | sort -g) || true
   [ -n "$v" ] || { echo -; return; }
   sed -n "$(( ($(wc -l <<< "$v") + 1) / 2 ))p" <<< "$v"
}

# mean VALUES...: their mean, rounded to a whole number; "-" if none is a number
mean() {
   printf '%s\n' "$@" | awk '$1 != "-" { s += $1; n++ } END { if (n) printf "%.0f\n", s / n; else print "-" }'
}

printf '| echo | client | framing | TLS | window | payload B | msgs/s (mean) | spread | RTT p50 µs | p99 µs | p99.9 µs |\n'
printf '|---|---|---|---|---:|---:|---:|---|---:|---:|---:|\n'

tls_modes=(plain)
[ -z "$cert" ] || tls_modes+=(tls)
for mode in "${tls_modes[@]}"; do
   certfile=
   [ "$mode" = plain ] || certfile=$cert
   for pair in $pairs; do
      echo_impl=${pair%%:*} client_impl=${pair##*:}
      if { [ "$echo_impl" = perl ] || [ "$client_impl" = perl ]; } && [ $have_perl = 0 ]; then continue; fi
      for codec in $codecs; do
         # kryo is Java-only; TLS rows use one Perl framing (cbor) plus kryo between Java nodes
         if [ "$codec" = kryo ] && { [ "$echo_impl" = perl ] || [ "$client_impl" = perl ]; }; then continue; fi
         if [ "$mode" = tls ] && [ "$codec" = json ]; then continue; fi
         # every repetition gets a fresh echo node: its JIT compiles differently each time, and
         # that, more than the length of a run, is what makes one run differ from the next
         declare -A rates=() p50s=() p99s=() p999s=()
         for _ in $(seq 1 "$repeat"); do
            start_echo "$echo_impl" "$codec" "$certfile"
            if [ "$echo_impl" = java ] && [ "$echo_warmup" -gt 0 ]; then
               run_client java "$echo_warmup" 100 16 "$codec" "$certfile" 0 > /dev/null # warm the echo node's JIT up
            fi
            if [ "$echo_impl" = java ] && [ "$client_impl" = perl ] && [ "$perl_echo_warmup" -gt 0 ]; then
               run_client perl "$perl_echo_warmup" 100 16 "$codec" "$certfile" > /dev/null
            fi
            for size in $sizes; do
               for w in $windows; do
                  if [ "$echo_impl" = java ] && [ "$client_impl" = java ]; then
                     if [ "$w" = 1 ]; then n=$n_java_w1; else n=$n_java; fi
                  else
                     if [ "$w" = 1 ]; then n=$n_perl_w1; else n=$n_perl; fi
                  fi
                  if [ "$w" = 1 ]; then wu=$java_warmup_w1; else wu=$java_warmup; fi
                  line=$(run_client "$client_impl" "$n" "$w" "$size" "$codec" "$certfile" "$wu") || {
                     echo "client failed: $pair $codec $mode w=$w size=$size" >&2; tail -5 "$tmp/client.err" >&2; continue; }
                  [ -z "$raw" ] || echo "$line" >> "$raw"
                  read -r rate p50 p99 p999 <<< "$(fields "$line")"
                  k=$size/$w
                  rates[$k]+=" $rate" p50s[$k]+=" $p50" p99s[$k]+=" $p99" p999s[$k]+=" $p999"
               done
            done
            stop_echo
         done
         for size in $sizes; do
            for w in $windows; do
               k=$size/$w
               [ -n "${rates[$k]:-}" ] || continue
               # shellcheck disable=SC2086
               rate=$(mean ${rates[$k]}) p50=$(median ${p50s[$k]}) p99=$(median ${p99s[$k]}) p999=$(median ${p999s[$k]})
               # shellcheck disable=SC2086
               sorted=$(printf '%s\n' ${rates[$k]} | sort -n)
               spread=$([ "$repeat" -gt 1 ] && echo "$(head -1 <<< "$sorted")–$(tail -1 <<< "$sorted")" || echo "-")
               printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
                  "$echo_impl" "$client_impl" "$codec" "$([ "$mode" = tls ] && echo yes || echo no)" \
                  "$w" "$size" "$rate" "$spread" "$p50" "$p99" "$p999"
            done
         done
         unset rates p50s p99s p999s
      done
   done
done
