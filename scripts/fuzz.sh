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

# fuzz_one runs one target. Go's fuzzer sometimes reports "context deadline exceeded" when
# -fuzztime runs out while a worker is between inputs; that is the clock, not a finding (no
# failing input is written). It is run once more then; a real finding fails at once, with its
# input saved under the package's testdata/fuzz.
fuzz_one() {
	local pkg=$1 name=$2 out corpus before after
	corpus="$pkg/testdata/fuzz/$name"
	for attempt in 1 2; do
		before=$(find "$corpus" -type f 2>/dev/null | wc -l || true)
		if out=$(go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" "$pkg" 2>&1); then
			printf '%s\n' "$out" | tail -n 2
			return 0
		fi
		after=$(find "$corpus" -type f 2>/dev/null | wc -l || true)
		printf '%s\n' "$out"
		if [[ $attempt == 1 && $after == "$before" ]] && grep -q 'context deadline exceeded' <<<"$out" &&
			! grep -q 'Failing input written' <<<"$out"; then
			echo "(the fuzzer's clock ran out mid-input, no failing input: running $name once more)"
			continue
		fi
		return 1
	done
}

count=0
for f in "${files[@]}"; do
	pkg=./$(dirname "${f#./}")
	mapfile -t names < <(sed -nE 's/^func (Fuzz[A-Za-z0-9_]*)\(.*/\1/p' "$f")
	for name in "${names[@]}"; do
		printf -- '--- fuzz %s %s (%s)\n' "$pkg" "$name" "$fuzztime"
		fuzz_one "$pkg" "$name"
		count=$((count + 1))
	done
done
echo "fuzzed $count targets for $fuzztime each"
