#!/usr/bin/env bash
# Runs every fuzz target of the root package for a short bounded time each
# (FUZZTIME, default 5s), after the seed corpora have run as plain tests.
# Meant to be called from .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime="${FUZZTIME:-5s}"
targets=$(go test -list '^Fuzz' . | grep '^Fuzz')
for t in $targets; do
	echo "fuzz: $t for $fuzztime"
	go test -run '^$' -fuzz "^${t}\$" -fuzztime "$fuzztime" -parallel 2 . 2>&1 | tail -n 3
done
