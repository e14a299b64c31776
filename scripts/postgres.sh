#!/usr/bin/env bash
# postgres.sh DB USER PASSWORD: makes sure Debian's PostgreSQL 15 is installed and running on
# 127.0.0.1:5432 (no systemd here: the cluster is started by hand), and that role USER with
# PASSWORD owns database DB (UTF8). Idempotent and quick when all is in place, so .ci/run, the
# live Moodle harness and the store's tests can each call it. Prints nothing on success but
# what it did. Needs root on a machine without the package.
set -euo pipefail
db=${1:?usage: postgres.sh DB USER PASSWORD}
user=${2:?usage: postgres.sh DB USER PASSWORD}
pass=${3:?usage: postgres.sh DB USER PASSWORD}

if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
	[[ $(id -u) -eq 0 ]] || { echo "postgres.sh: PostgreSQL is missing; install it with: sudo apt-get install -y postgresql" >&2; exit 1; }
	echo "==> apt-get install postgresql"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	apt-get install -y -q --no-install-recommends postgresql
fi

ver=$(ls /usr/lib/postgresql | sort -V | tail -n1)
if ! pg_lsclusters -h | awk -v v="$ver" '$1==v && $2=="main"' | grep -q .; then
	pg_createcluster "$ver" main >/dev/null
fi
if ! pg_lsclusters -h | awk -v v="$ver" '$1==v && $2=="main" && $4=="online"' | grep -q .; then
	echo "==> starting PostgreSQL $ver"
	pg_ctlcluster "$ver" main start
fi
for _ in $(seq 100); do
	pg_isready -q -h 127.0.0.1 -p 5432 && break
	sleep 0.1
done
pg_isready -q -h 127.0.0.1 -p 5432 || { echo "postgres.sh: PostgreSQL did not start" >&2; exit 1; }

psql_admin() { runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qAtX "$@"; }
if [[ -z $(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$user'") ]]; then
	psql_admin -c "CREATE ROLE \"$user\" LOGIN PASSWORD '$pass'"
fi
if [[ -z $(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$db'") ]]; then
	psql_admin -c "CREATE DATABASE \"$db\" OWNER \"$user\" ENCODING 'UTF8' TEMPLATE template0"
fi
