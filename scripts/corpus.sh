#!/usr/bin/env bash
# make corpus: the quality gate. Runs TestCorpus in cmd/kensa (go test's
# local directory mode, so that its summary line shows) and fails unless the
# test ran and printed exactly one line
#   corpus: detection N/N, false positives 0/L      (N > 0, L > 0)
# A renamed or deleted TestCorpus would otherwise pass as "no tests to run".
# CORPUS_RUN and CORPUS_DIR exist for scripts/gates_test.go.
set -uo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
run=${CORPUS_RUN:-^TestCorpus\$}
cd "${CORPUS_DIR:-cmd/kensa}" || exit 1
out=$($GO test -race -count=1 -timeout 40m -run "$run" 2>&1)
rc=$?
printf '%s\n' "$out"
[ "$rc" -eq 0 ] || exit "$rc"
lines=$(printf '%s\n' "$out" | grep -E '^corpus: detection [0-9]+/[0-9]+, false positives [0-9]+/[0-9]+$' || true)
if [ "$(printf '%s' "$lines" | grep -c '^corpus:')" -ne 1 ]; then
  echo "corpus: FAIL: TestCorpus did not run (no single summary line in its output)" >&2
  exit 1
fi
read -r detected malicious fps clean < <(printf '%s\n' "$lines" | sed -E 's|^corpus: detection ([0-9]+)/([0-9]+), false positives ([0-9]+)/([0-9]+)$|\1 \2 \3 \4|')
if [ "$malicious" -eq 0 ] || [ "$clean" -eq 0 ] || [ "$detected" -ne "$malicious" ] || [ "$fps" -ne 0 ]; then
  echo "corpus: FAIL: want every malicious sample detected and no clean one flagged, both sets non-empty" >&2
  exit 1
fi
