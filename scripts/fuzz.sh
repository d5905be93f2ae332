#!/usr/bin/env bash
# Runs every Go fuzz target in the module for FUZZTIME each (default 30s).
#   scripts/fuzz.sh [package pattern...]   e.g. scripts/fuzz.sh ./unpack
# A crash stops the run; go test keeps the input under the package's
# testdata/fuzz/FuzzName/, where it stays as a regression seed once fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZTIME=${FUZZTIME:-30s}
GO=${GO:-go}
pkgs=("$@")
[ ${#pkgs[@]} -eq 0 ] && pkgs=(./...)

total=0 failed=0
start=$(date +%s)
for pkg in $($GO list "${pkgs[@]}"); do
  targets=$($GO test -list '^Fuzz' "$pkg" 2>/dev/null | grep '^Fuzz' || true)
  for t in $targets; do
    total=$((total + 1))
    if out=$($GO test -run '^$' -fuzz "^$t\$" -fuzztime "$FUZZTIME" "$pkg" 2>&1); then
      echo "ok   $pkg $t ($FUZZTIME)"
    else
      failed=$((failed + 1))
      echo "$out" | tail -n 30
      echo "FAIL $pkg $t ($FUZZTIME): the failing input is in that package's testdata/fuzz/$t/"
    fi
  done
done
echo "fuzz: $((total - failed)) passed, $failed failed in $(( $(date +%s) - start ))s"
[ "$failed" -eq 0 ]
