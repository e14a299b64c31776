#!/usr/bin/env bash
# up.sh: one idempotent command that brings up a real Moodle 4.5 site for the live suite
# (live/), seeded with Moodle's own data generator, and prints the path of its env file.
#
#   scripts/moodle/up.sh            # then: KTS_LIVE_MOODLE=<printed path> go test ./live
#
# What it does, each step only when not already done (a second run takes seconds):
#   1. Debian's PHP 8.2 (FPM + CLI + the extensions Moodle needs) and nginx;
#   2. PostgreSQL 15 with Moodle's database (scripts/postgres.sh);
#   3. the Moodle code, unpacked from $KTS_MOODLE_TARBALL or ../shared/moodle/moodle-4.5.tar.xz
#      into $KTS_MOODLE_HOME (default /opt/kts-moodle), outside the repository;
#   4. Moodle's CLI installer, then web services as the mobile-service admin setting turns them
#      on, completion on, no e-mail; that clean site is kept as a template database;
#   5. php-fpm and nginx started by hand (no systemd) on $KTS_MOODLE_PORT (default 8765);
#   6. the seed (scripts/moodle/seed.php), again whenever seed.php changed or the seed is older
#      than KTS_MOODLE_RESEED_HOURS (default 20): times in it are relative to the seeding, so
#      a day-old seed restores the clean snapshot and seeds anew;
#   7. the env file $KTS_MOODLE_HOME/live.env (URL, accounts, course id, php and Moodle paths).
# Needs root (packages, daemons, the web user www-data).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
home=${KTS_MOODLE_HOME:-/opt/kts-moodle}
port=${KTS_MOODLE_PORT:-8765}
fpmport=${KTS_MOODLE_FPM_PORT:-8766}
reseed_hours=${KTS_MOODLE_RESEED_HOURS:-20}
db=ktsmoodle dbuser=ktsmoodle dbpass=ktsmoodle-live
adminpass='Kts-Admin-2026!'
userpass='Kts-Live-2026!'
wwwroot="http://127.0.0.1:$port"
code=$home/moodle data=$home/moodledata
php=/usr/bin/php8.2
started=$(date +%s)

say() { printf '==> %s\n' "$*"; }
die() { printf 'up.sh: %s\n' "$*" >&2; exit 1; }
asweb() { runuser -u www-data -- "$@"; }
export PGOPTIONS="--client-min-messages=warning"
psql_moodle() { PGPASSWORD=$dbpass psql -h 127.0.0.1 -U "$dbuser" -d "$db" -v ON_ERROR_STOP=1 -qAtX "$@"; }

[[ $(id -u) -eq 0 ]] || die "run as root (it installs packages and starts php-fpm and nginx as www-data)"
# One run at a time: two runs would unpack, install or seed over each other.
mkdir -p "$home"
# (The daemons it starts must not inherit the lock: see 9>&- below.)
exec 9>"$home/.up.lock"
flock 9

# 1. packages ------------------------------------------------------------------------------
want=(php8.2-fpm php8.2-cli php8.2-pgsql php8.2-curl php8.2-gd php8.2-intl php8.2-mbstring
	php8.2-xml php8.2-zip php8.2-soap php8.2-opcache php8.2-readline php8.2-bcmath nginx
	curl xz-utils)
missing=()
for p in "${want[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
	say "apt-get install ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
ini='; written by scripts/moodle/up.sh for the live Moodle test site
max_input_vars = 5000
memory_limit = 512M
opcache.enable = 1
opcache.enable_cli = 0
opcache.memory_consumption = 256
opcache.max_accelerated_files = 20000
opcache.validate_timestamps = 0'
for sapi in cli fpm; do
	f=/etc/php/8.2/$sapi/conf.d/99-kts-moodle.ini
	[[ -f $f && $(cat "$f") == "$ini" ]] || printf '%s\n' "$ini" >"$f"
done

# 2. database ------------------------------------------------------------------------------
"$repo/scripts/postgres.sh" "$db" "$dbuser" "$dbpass" 9>&-
# Moodle's own tests run without durable commits; this database holds only test data.
runuser -u postgres -- psql -qAtX -c "ALTER DATABASE $db SET synchronous_commit = off" >/dev/null

# 3. code ----------------------------------------------------------------------------------
if [[ ! -f $code/.kts-unpacked ]]; then
	tarball=${KTS_MOODLE_TARBALL:-}
	[[ -n $tarball ]] || tarball=$repo/../shared/moodle/moodle-4.5.tar.xz
	if [[ ! -f $tarball ]]; then
		cat >&2 <<MSG
up.sh: no Moodle code: neither \$KTS_MOODLE_TARBALL nor $repo/../shared/moodle/moodle-4.5.tar.xz exists.
Get Moodle's own release at the 4.5 tag, e.g.
  git clone --depth 1 --branch v4.5.0 https://github.com/moodle/moodle.git /tmp/moodle &&
    tar -cJf /tmp/moodle-4.5.tar.xz -C /tmp moodle
(or the moodle-4.5 .tgz from https://download.moodle.org/releases/), then run
  KTS_MOODLE_TARBALL=/tmp/moodle-4.5.tar.xz $0
The archive must hold one folder, moodle/.
MSG
		exit 2
	fi
	say "unpacking $tarball into $home"
	rm -rf "$code"
	mkdir -p "$home"
	tar -xaf "$tarball" -C "$home"
	[[ -f $code/version.php ]] || die "$tarball has no moodle/version.php"
	touch "$code/.kts-unpacked"
fi
mkdir -p "$data"
chown -R www-data:www-data "$data"

# 4. install -------------------------------------------------------------------------------
installed() { [[ -f $code/config.php ]] && [[ -n $(psql_moodle -c "SELECT value FROM mdl_config WHERE name = 'kts_live_configured'" 2>/dev/null) ]]; }
# The installed, configured, unseeded site is kept as a template database: seeding again
# starts from a copy of it (seconds) instead of a new install (minutes).
template=${db}_installed
has_db() { [[ -n $(runuser -u postgres -- psql -qAtX -c "SELECT 1 FROM pg_database WHERE datname = '$1'") ]]; }
restore_clean() {
	runuser -u postgres -- psql -qAtX -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" \
		-c "CREATE DATABASE $db OWNER $dbuser TEMPLATE $template" >/dev/null
	runuser -u postgres -- psql -qAtX -c "ALTER DATABASE $db SET synchronous_commit = off" >/dev/null
	cp "$home/config.php.saved" "$code/config.php"
	rm -rf "$data/cache" "$data/localcache" "$data/muc" "$data/temp" "$data/sessions"
	rm -f "$home/seed.stamp"
}
if ! installed; then
	if has_db "$template" && [[ -f $home/config.php.saved ]]; then
		say "restoring the installed site from the template database $template"
		restore_clean
	else
		say "installing Moodle (the CLI installer takes a few minutes)"
		rm -f "$code/config.php" "$home/seed.stamp"
		runuser -u postgres -- psql -qAtX -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
		"$repo/scripts/postgres.sh" "$db" "$dbuser" "$dbpass" 9>&-
		runuser -u postgres -- psql -qAtX -c "ALTER DATABASE $db SET synchronous_commit = off" >/dev/null
		rm -rf "$data" && mkdir -p "$data" && chown www-data:www-data "$data"
		chown www-data:www-data "$code"
		t0=$(date +%s)
		asweb $php "$code/admin/cli/install.php" --non-interactive --agree-license --allow-unstable \
			--lang=en --wwwroot="$wwwroot" --dataroot="$data" --dbtype=pgsql --dbhost=127.0.0.1 \
			--dbname="$db" --dbuser="$dbuser" --dbpass="$dbpass" --prefix=mdl_ \
			--fullname="KTS live test site" --shortname="ktslive" --summary="Know Thy Students live suite" \
			--adminuser=admin --adminpass="$adminpass" --adminemail=admin@kts-live.example >"$home/install.log" 2>&1 ||
			{ tail -n 40 "$home/install.log" >&2; die "the Moodle installer failed (log: $home/install.log)"; }
		say "installer took $(($(date +%s) - t0)) s"
		cat >>"$code/config.php" <<'PHP'
// Added by scripts/moodle/up.sh: a test site never sends mail.
$CFG->noemailever = true;
PHP
		asweb $php "$repo/scripts/moodle/configure.php"
		cp "$code/config.php" "$home/config.php.saved"
		runuser -u postgres -- psql -qAtX -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $template WITH (FORCE)" \
			-c "CREATE DATABASE $template OWNER $dbuser TEMPLATE $db" >/dev/null
	fi
fi

# 5. daemons -------------------------------------------------------------------------------
cat >"$home/php-fpm.conf.new" <<CONF
[global]
pid = $home/php-fpm.pid
error_log = $home/php-fpm.log
daemonize = yes
[moodle]
user = www-data
group = www-data
listen = 127.0.0.1:$fpmport
pm = static
pm.max_children = 8
catch_workers_output = yes
php_admin_value[error_log] = $home/php-errors.log
CONF
cat >"$home/nginx.conf.new" <<CONF
user www-data;
worker_processes 1;
pid $home/nginx.pid;
error_log $home/nginx-error.log;
events { worker_connections 256; }
http {
	include /etc/nginx/mime.types;
	access_log off;
	client_max_body_size 64m;
	client_body_temp_path $home/nginx-tmp/body;
	fastcgi_temp_path $home/nginx-tmp/fastcgi;
	proxy_temp_path $home/nginx-tmp/proxy;
	uwsgi_temp_path $home/nginx-tmp/uwsgi;
	scgi_temp_path $home/nginx-tmp/scgi;
	server {
		listen 127.0.0.1:$port;
		root $code;
		index index.php;
		location ~ [^/]\.php(/|\$) {
			fastcgi_split_path_info ^(.+\.php)(/.+)\$;
			fastcgi_index index.php;
			fastcgi_pass 127.0.0.1:$fpmport;
			include /etc/nginx/fastcgi_params;
			fastcgi_param PATH_INFO \$fastcgi_path_info;
			fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
			fastcgi_read_timeout 300;
		}
		location ~ /\.(?!well-known) { deny all; }
		location ~ /(vendor|node_modules|composer\.json|readme|README|LICENSE|COPYING|upgrade\.txt|db/install\.xml|\.git) { deny all; }
	}
}
CONF
mkdir -p "$home/nginx-tmp"
alive() { [[ -f $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }
for d in php-fpm nginx; do
	if ! cmp -s "$home/$d.conf.new" "$home/$d.conf"; then
		mv "$home/$d.conf.new" "$home/$d.conf"
		if alive "$home/$d.pid"; then kill "$(cat "$home/$d.pid")"; for _ in $(seq 50); do alive "$home/$d.pid" || break; sleep 0.1; done; fi
	else
		rm -f "$home/$d.conf.new"
	fi
done
if ! alive "$home/php-fpm.pid"; then
	say "starting php-fpm on 127.0.0.1:$fpmport"
	/usr/sbin/php-fpm8.2 --fpm-config "$home/php-fpm.conf" 9>&-
fi
if ! alive "$home/nginx.pid"; then
	say "starting nginx on $wwwroot"
	/usr/sbin/nginx -c "$home/nginx.conf" 9>&-
fi
for _ in $(seq 100); do
	[[ $(curl -s -o /dev/null -w '%{http_code}' "$wwwroot/login/index.php") == 200 ]] && break
	sleep 0.2
done
[[ $(curl -s -o /dev/null -w '%{http_code}' "$wwwroot/login/index.php") == 200 ]] ||
	die "Moodle does not answer on $wwwroot (logs: $home/nginx-error.log, $home/php-fpm.log, $home/php-errors.log)"

# 6. seed ----------------------------------------------------------------------------------
want_stamp=$(sha256sum "$repo/scripts/moodle/seed.php" | cut -c1-16)
now=$(date +%s)
reseed=yes
if [[ -f $home/seed.stamp ]]; then
	read -r have_stamp seeded_at <"$home/seed.stamp" || true
	if [[ $have_stamp == "$want_stamp" && $((now - seeded_at)) -lt $((reseed_hours * 3600)) ]] &&
		[[ -n $(psql_moodle -c "SELECT id FROM mdl_course WHERE shortname = 'KTSLIVE'") ]]; then
		reseed=
	fi
fi
if [[ -n $reseed ]]; then
	if [[ -n $(psql_moodle -c "SELECT id FROM mdl_course WHERE shortname = 'KTSLIVE'") ]]; then
		say "restoring the clean site before seeding again"
		restore_clean
	fi
	say "seeding (scripts/moodle/seed.php)"
	t0=$(date +%s)
	asweb $php "$repo/scripts/moodle/seed.php" --password="$userpass" --out="$data/kts-seed.json"
	cp "$data/kts-seed.json" "$home/seed.json"
	asweb $php "$code/admin/cli/purge_caches.php" >/dev/null
	say "seed took $(($(date +%s) - t0)) s"
	echo "$want_stamp $now" >"$home/seed.stamp"
fi

# 7. env file ------------------------------------------------------------------------------
courseid=$(psql_moodle -c "SELECT id FROM mdl_course WHERE shortname = 'KTSLIVE'")
cat >"$home/live.env.tmp" <<ENV
# Written by scripts/moodle/up.sh: the live Moodle test site. Read by the live suite (live/).
KTS_LIVE_URL=$wwwroot
KTS_LIVE_COURSE=$courseid
KTS_LIVE_TEACHER=live.teacher
KTS_LIVE_TUTOR=live.tutor
KTS_LIVE_STUDENT=live.s01
KTS_LIVE_PASSWORD=$userpass
KTS_LIVE_ADMIN=admin
KTS_LIVE_ADMIN_PASSWORD=$adminpass
KTS_LIVE_PHP=$php
KTS_LIVE_MOODLE_DIR=$code
KTS_LIVE_WEB_USER=www-data
KTS_LIVE_SEED=$home/seed.json
ENV
mv "$home/live.env.tmp" "$home/live.env"
say "live Moodle ready in $(($(date +%s) - started)) s: $wwwroot"
echo "$home/live.env"
