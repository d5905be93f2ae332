#!/usr/bin/env bash
# Runs every Go fuzz target in the module for FUZZTIME each (default 30s).
#   scripts/fuzz.sh [package pattern...]   e.g. scripts/fuzz.sh ./unpack
# A crash stops the run; go test keeps the input under the package's
# testdata/fuzz/FuzzName/, where it stays as a regression seed once fixed.
#
# A gate that cannot pass by accident: a package whose tests do not build
# fails the run (it would otherwise hide its targets), and so does a
# whole-module run that finds fewer targets than scripts/fuzz-targets.min
# records. Add a target: raise that number in the same commit.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZTIME=${FUZZTIME:-30s}
# Go shrinks every input that finds new code for up to a minute by default;
# on a parser with much to find (FuzzOLE) that left a 30s run a few dozen
# executions. A crasher is kept whether or not its shrinking finished.
FUZZMINIMIZETIME=${FUZZMINIMIZETIME:-2s}
GO=${GO:-go}
pkgs=("$@")
whole=0
[ ${#pkgs[@]} -eq 0 ] && { pkgs=(./...); whole=1; }

# One listing for every package: "FuzzX" lines, then "ok  <pkg> …" (or
# "?  <pkg> [no test files]"); a package that does not build says FAIL and
# makes go test exit non-zero.
if ! listing=$($GO test -list '^Fuzz' "${pkgs[@]}" 2>&1); then
  printf '%s\n' "$listing" | grep -v '^Fuzz' | grep -v '^ok ' | grep -v '^? ' >&2 || true
  echo "fuzz: FAIL: could not list the fuzz targets: a package's tests do not build (above)" >&2
  exit 1
fi
runs=()
pending=()
while IFS= read -r line; do
  case "$line" in
    Fuzz*) pending+=("$line") ;;
    ok\ *)
      pkg=$(printf '%s\n' "$line" | awk '{print $2}')
      for t in "${pending[@]}"; do runs+=("$pkg $t"); done
      pending=() ;;
  esac
done <<<"$listing"
if [ ${#pending[@]} -ne 0 ]; then
  echo "fuzz: FAIL: targets listed without their package: ${pending[*]}" >&2
  exit 1
fi

if [ "$whole" -eq 1 ]; then
  min=$(grep -v '^#' scripts/fuzz-targets.min | tr -d '[:space:]')
  if [ "${#runs[@]}" -lt "$min" ]; then
    echo "fuzz: FAIL: found ${#runs[@]} fuzz targets, scripts/fuzz-targets.min records $min: a target was removed or renamed, or its package is no longer listed" >&2
    exit 1
  fi
fi

total=0 failed=0
start=$(date +%s)
for run in "${runs[@]}"; do
  pkg=${run% *} t=${run#* }
  total=$((total + 1))
  if out=$($GO test -run '^$' -fuzz "^$t\$" -fuzztime "$FUZZTIME" -fuzzminimizetime "$FUZZMINIMIZETIME" "$pkg" 2>&1); then
    echo "ok   $pkg $t ($FUZZTIME)"
  else
    failed=$((failed + 1))
    echo "$out" | tail -n 30
    echo "FAIL $pkg $t ($FUZZTIME): the failing input is in that package's testdata/fuzz/$t/"
  fi
done
echo "fuzz: $((total - failed)) passed, $failed failed in $(( $(date +%s) - start ))s"
[ "$total" -gt 0 ] || { echo "fuzz: FAIL: no fuzz target found in ${pkgs[*]}" >&2; exit 1; }
[ "$failed" -eq 0 ]
