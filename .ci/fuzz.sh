#!/usr/bin/env bash
# Runs every fuzz target of every package of the module (the root package's
# fuzz_test.go: the v1 union decoders, the credential spec encoder, the error
# and response decoders, the required-property check, Retry-After, path
# segments and the activation request; platform/fuzz_test.go: the Platform's
# keyed credential and auth scheme unions) for a short
# bounded time each (FUZZTIME, default 5s), after the seed corpora have run
# as plain tests. FUZZPKGS limits it to some packages. Meant to be called
# from .ci/run.
#
# A failure that saved a failing input under testdata/fuzz is a bug: the
# whole output is printed and the run fails. A failure that saved nothing
# (the fuzzing engine's worker dying on a loaded machine, say) is printed and
# the target is run once more; a second failure fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime="${FUZZTIME:-5s}"
pkgs="${FUZZPKGS:-$(go list ./...)}"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

fuzz() { go test -run '^$' -fuzz "^$2\$" -fuzztime "$fuzztime" -parallel 2 "$1" >"$log" 2>&1; }

ran=0
for pkg in $pkgs; do
	dir=$(go list -f '{{.Dir}}' "$pkg")
	targets=$(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true)
	for t in $targets; do
		ran=$((ran + 1))
		echo "fuzz: $pkg $t for $fuzztime"
		if fuzz "$pkg" "$t"; then
			tail -n 2 "$log"
			continue
		fi
		cat "$log"
		if [ -n "$(git status --porcelain -- "$dir/testdata/fuzz/$t" 2>/dev/null)" ]; then
			echo "fuzz: $t found a failing input (saved above under $dir/testdata/fuzz/$t)" >&2
			exit 1
		fi
		echo "fuzz: $t failed without a failing input; running it once more"
		if ! fuzz "$pkg" "$t"; then
			cat "$log"
			exit 1
		fi
		tail -n 2 "$log"
	done
done
if [ "$ran" -eq 0 ]; then
	echo "fuzz: no fuzz target found" >&2
	exit 1
fi
echo "fuzz: $ran targets"
