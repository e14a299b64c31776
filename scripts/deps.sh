#!/usr/bin/env bash
# deps.sh: installs what the tests need beyond Go, so that `make test` works on a fresh
# machine: Debian's chromium (browser tests), fonts-liberation (stable screenshots) and
# redis-server (the shared session store's tests), and node_modules from package-lock.json
# (the pinned htmx and axe-core). Already installed is fine; nothing is downloaded outside the
# package registries.
set -euo pipefail
cd "$(dirname "$0")/.."

want=(chromium fonts-liberation redis-server)
missing=()
for p in "${want[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done
if ((${#missing[@]})); then
	if [[ $(id -u) -ne 0 ]]; then
		echo "missing Debian packages: ${missing[*]}" >&2
		echo "install them with: sudo apt-get install -y ${missing[*]}" >&2
		exit 1
	fi
	echo "==> apt-get install ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# npm ci writes node_modules/.package-lock.json: newer than package-lock.json means in step.
if [[ ! node_modules/.package-lock.json -nt package-lock.json ]]; then
	echo "==> npm ci"
	npm ci --ignore-scripts --no-audit --no-fund
fi
