#!/bin/sh
# generate.sh writes the peer clients the benchmarks compare the SDK with:
# what oapi-codegen v2.8.2 generates (models + client) from Versori's own
# specs, with only the edits the generator needs to load them and build.
#
#   embeddedgen/  from embedded-api-v1.yaml, every operation (embeddedgen.yaml)
#   platformgen/  from platform-api.yaml, the 33 Platform operations of
#                 PLATFORM.md §7 (platformgen.yaml)
#
# Usage: internal/bench/generate.sh [-check]
#   -check  generate into a temporary directory and fail if the result
#           differs from the committed files (they are never edited by hand).
#
# The specs are read from ../shared/versori/ beside the repository, or from
# VERSORI_OPENAPI_SPEC (v1) and VERSORI_PLATFORM_SPEC (Platform). They are
# copied to a temporary directory and edited there; the originals are never
# changed, and nothing of them is committed here.
set -eu
# An override is relative to where the script is run from; the defaults to
# this directory.
abs() { case $1 in /*) echo "$1" ;; *) echo "$(pwd)/$1" ;; esac; }
v1_spec=${VERSORI_OPENAPI_SPEC:+$(abs "$VERSORI_OPENAPI_SPEC")}
platform_spec=${VERSORI_PLATFORM_SPEC:+$(abs "$VERSORI_PLATFORM_SPEC")}
cd "$(dirname "$0")"
here=$(pwd)
v1_spec=${v1_spec:-../../../shared/versori/embedded-api-v1.yaml}
platform_spec=${platform_spec:-../../../shared/versori/platform-api.yaml}
oapi_codegen="go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen@v2.8.2"

check=false
case "${1:-}" in
"") ;;
-check) check=true ;;
*)
	echo "usage: $0 [-check]" >&2
	exit 2
	;;
esac
for f in "$v1_spec" "$platform_spec"; do
	if [ ! -f "$f" ]; then
		echo "generate.sh: spec missing at $f (set VERSORI_OPENAPI_SPEC / VERSORI_PLATFORM_SPEC)" >&2
		exit 1
	fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$v1_spec" "$tmp/embedded-api-v1.yaml"
cp "$platform_spec" "$tmp/platform-api.yaml"

# edit FILE SED-SCRIPT GONE: apply SED-SCRIPT to FILE and make sure no line
# matching GONE is left, so that a spec that changed under us fails loudly
# instead of being generated half-edited.
edit() {
	sed -e "$2" "$1" >"$1.new"
	mv "$1.new" "$1"
	if grep -q -e "$3" "$1"; then
		echo "generate.sh: edit of $(basename "$1") left lines matching '$3'" >&2
		exit 1
	fi
}

for spec in "$tmp/embedded-api-v1.yaml" "$tmp/platform-api.yaml"; do
	# v1 erratum "InitialiseOAuth2ConnectionRequest.additionalParams has
	# examples as a map" (versori/README.md), the same as Platform E1
	# (PLATFORM.md §10): JSON Schema 2020-12 wants an array, and kin-openapi
	# (so oapi-codegen) refuses to load the file. Make it a one-item array.
	edit "$spec" 's/^\( *\)two query parameters: \(.*\)$/\1- "\2"/' 'two query parameters:'

	# Platform E3 (PLATFORM.md §10), also in v1: x-go-type ulid.ULID imports
	# versori.dev/vergo/ulid, a private module the public proxy refuses, so
	# the generated code cannot build. Rewrite the import to
	# github.com/oklog/ulid/v2, whose ulid.ULID has the same name and text
	# (un)marshalling (the SDK uses the same module to mint ULIDs).
	edit "$spec" 's|path: versori\.dev/vergo/ulid$|path: github.com/oklog/ulid/v2|' 'versori\.dev/vergo/ulid'
done
# Platform E2 (13 schemas named <OperationId>Response clash with the client's
# response wrappers) is worked around in platformgen.yaml with
# response-type-suffix: Resp, not by editing the spec.

out=$here
if $check; then
	out=$tmp/out
	mkdir -p "$out"
fi
for cfg in embeddedgen platformgen; do
	case $cfg in
	embeddedgen) spec=$tmp/embedded-api-v1.yaml ;;
	platformgen) spec=$tmp/platform-api.yaml ;;
	esac
	mkdir -p "$out/$cfg"
	# Run from $out so the config's relative output path lands there.
	(cd "$out" && $oapi_codegen -config "$here/$cfg.yaml" "$spec")
done

if $check; then
	status=0
	for cfg in embeddedgen platformgen; do
		if ! diff -r "$here/$cfg" "$out/$cfg" >"$tmp/diff"; then
			echo "generate.sh -check: $cfg/ differs from what generate.sh writes; run internal/bench/generate.sh" >&2
			head -40 "$tmp/diff" >&2
			status=1
		fi
	done
	[ "$status" -eq 0 ] && echo "generate.sh -check: embeddedgen/ and platformgen/ are up to date"
	exit "$status"
fi
