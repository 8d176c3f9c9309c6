#!/usr/bin/env bash
# Runs every fuzz target of the root package for a short bounded time each
# (FUZZTIME, default 5s), after the seed corpora have run as plain tests.
# Meant to be called from .ci/run.
#
# A failure that saved a failing input under testdata/fuzz is a bug: the
# whole output is printed and the run fails. A failure that saved nothing
# (the fuzzing engine's worker dying on a loaded machine, say) is printed and
# the target is run once more; a second failure fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime="${FUZZTIME:-5s}"
targets=$(go test -list '^Fuzz' . | grep '^Fuzz')
log=$(mktemp)
trap 'rm -f "$log"' EXIT

fuzz() { go test -run '^$' -fuzz "^$1\$" -fuzztime "$fuzztime" -parallel 2 . >"$log" 2>&1; }

for t in $targets; do
	echo "fuzz: $t for $fuzztime"
	if fuzz "$t"; then
		tail -n 2 "$log"
		continue
	fi
	cat "$log"
	if [ -n "$(git status --porcelain -- "testdata/fuzz/$t" 2>/dev/null)" ]; then
		echo "fuzz: $t found a failing input (saved above under testdata/fuzz/$t)" >&2
		exit 1
	fi
	echo "fuzz: $t failed without a failing input; running it once more"
	if ! fuzz "$t"; then
		cat "$log"
		exit 1
	fi
	tail -n 2 "$log"
done
