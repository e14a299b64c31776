#!/usr/bin/env bash
# container-steps.sh: the Dockerfile's build and run steps without a container engine (none
# runs here, and base images cannot be pulled): build the same static binary with the same
# flags, check it is static, run it as the distroless "nonroot" user (uid 65532) with only
# environment configuration, and check its HEALTHCHECK command (-healthcheck) and /healthz.
set -euo pipefail
cd "$(dirname "$0")/.."

out=$(mktemp -d)
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$out"' EXIT

CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$out/kts" ./cmd/server
if ldd "$out/kts" >/dev/null 2>&1; then
	echo "the binary is dynamically linked; the distroless static image cannot run it" >&2
	exit 1
fi
chmod 0755 "$out" "$out/kts"
# The image's /data: the SQLite store's directory, owned by the nonroot user.
mkdir -m 0700 "$out/data"
[[ $(id -u) -ne 0 ]] || chown 65532:65532 "$out/data"
export KTS_DATA_DIR="$out/data"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

run_as_nonroot() {
	if [[ $(id -u) -eq 0 ]] && command -v setpriv >/dev/null; then
		exec setpriv --reuid=65532 --regid=65532 --clear-groups "$@"
	else
		exec "$@"
	fi
}

KTS_ADDR="127.0.0.1:$port" run_as_nonroot "$out/kts" >"$out/log" 2>&1 &
pid=$!
for _ in $(seq 100); do
	if KTS_ADDR="127.0.0.1:$port" "$out/kts" -healthcheck 2>/dev/null; then
		break
	fi
	sleep 0.1
done
KTS_ADDR="127.0.0.1:$port" "$out/kts" -healthcheck || { cat "$out/log" >&2; echo "healthcheck failed" >&2; exit 1; }
[[ $(ps -o uid= -p "$pid" | tr -d ' ') == 65532 || $(id -u) -ne 0 ]] || { echo "not running as uid 65532" >&2; exit 1; }
kill -TERM "$pid"
wait "$pid" || { cat "$out/log" >&2; echo "the server did not stop cleanly on SIGTERM" >&2; exit 1; }
grep -q 'msg=stopped' "$out/log" || { cat "$out/log" >&2; echo "no clean stop logged" >&2; exit 1; }
[[ -s "$out/data/kts.db" ]] || { cat "$out/log" >&2; echo "no SQLite store in KTS_DATA_DIR" >&2; exit 1; }
echo "container steps ok: static binary, runs as uid 65532, healthcheck passes, stops on SIGTERM"
