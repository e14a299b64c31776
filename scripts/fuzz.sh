#!/usr/bin/env bash
# fuzz.sh: runs every fuzz target in the repository for a bounded time each
# (FUZZTIME, default 10s). Targets are found by grepping *_test.go files for
# `func FuzzXxx(`, so a new one is picked up without editing this script.
set -euo pipefail
cd "$(dirname "$0")/.."

fuzztime=${FUZZTIME:-10s}

# Files the go command would compile: not under node_modules, testdata, or a
# directory whose name starts with . or _.
mapfile -t files < <(
	find . \( -name node_modules -o -name testdata -o -name '.?*' -o -name '_*' \) -prune \
		-o -type f -name '*_test.go' -print0 |
		xargs -0 -r grep -lE '^func Fuzz[A-Za-z0-9_]*\(' | LC_ALL=C sort
)
if ((${#files[@]} == 0)); then
	echo "no fuzz targets"
	exit 0
fi

count=0
for f in "${files[@]}"; do
	pkg=./$(dirname "${f#./}")
	mapfile -t names < <(sed -nE 's/^func (Fuzz[A-Za-z0-9_]*)\(.*/\1/p' "$f")
	for name in "${names[@]}"; do
		printf -- '--- fuzz %s %s (%s)\n' "$pkg" "$name" "$fuzztime"
		go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" "$pkg"
		count=$((count + 1))
	done
done
echo "fuzzed $count targets for $fuzztime each"
