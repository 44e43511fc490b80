#!/usr/bin/env bash
# check-quiet-build.sh: checks that a green build is quiet (README, "Tests"): no line with ERROR,
# no test log line, and text only (grep does not see it as binary). Runs `mvn -B verify` and
# checks its output, or checks the output of a build run before: check-quiet-build.sh out.txt
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [ $# -ge 1 ]; then
  out="$1"
else
  out="$root/target/verify-output.txt"
  mkdir -p "$root/target"
  (cd "$root" && mvn -B verify) >"$out" 2>&1
  status=$?
  if [ $status -ne 0 ]; then
    tail -50 "$out"
    echo "check-quiet-build: mvn -B verify failed (exit $status); its output is in $out" >&2
    exit 1
  fi
fi

failed=0
if ! grep -Iq . "$out"; then
  echo "check-quiet-build: $out holds bytes that are not text (grep sees a binary file):" >&2
  LC_ALL=C grep -anP '[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]' "$out" | head -5 | cat -v >&2
  failed=1
fi
errors=$(grep -ac ERROR "$out")
if [ "$errors" -ne 0 ]; then
  echo "check-quiet-build: $errors line(s) with ERROR in $out:" >&2
  grep -an ERROR "$out" | head -20 >&2
  failed=1
fi
# a log line is printed only for a failing test; in a passing build there is none
logged=$(grep -acE '^([0-9]{2}:){2}[0-9]{2}\.[0-9]{3} \[[^]]*\] (TRACE|DEBUG|INFO|WARN|ERROR) ' "$out")
if [ "$logged" -ne 0 ]; then
  echo "check-quiet-build: $logged log line(s) printed in $out:" >&2
  grep -anE '^([0-9]{2}:){2}[0-9]{2}\.[0-9]{3} \[[^]]*\] (TRACE|DEBUG|INFO|WARN|ERROR) ' "$out" | head -20 >&2
  failed=1
fi
if [ $failed -eq 0 ]; then
  echo "check-quiet-build: quiet ($(grep -ac . "$out") lines of text, no ERROR, no log line)"
fi
exit $failed
