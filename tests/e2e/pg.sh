# SPDX-License-Identifier: MIT
# pg.sh - real PostgreSQL clusters for the end-to-end tests (sourced after
# lib.sh).  Only in the private namespace (as root): the clusters run as the
# postgres user with their sockets in their own directory and no TCP, and
# every segment of the postgres user there is one of them.
#
#   pg_need               skip the case unless PostgreSQL can run here
#   pg_new NAME           a new data directory ($PGROOT/NAME/data), copied
#                         from one initdb made once per test file
#   pg_start NAME [--postmaster] [-c SETTING]...
#                         start it (pg_ctl, or the postmaster binary) and
#                         wait until it answers
#   pg_query NAME SQL     run SQL in a new connection; prints the result
#   pg_pm NAME            the postmaster's PID (postmaster.pid, line 1)
#   pg_kill NAME          SIGKILL the postmaster and all its children, as a
#                         crash would, and wait until they are gone
#   pg_stop NAME          stop it cleanly
#   pg_sysv_of NAME       the shmids the cluster's processes attach
#   pg_cleanup            kill every postgres process, remove every segment
#                         of the postgres user and the data directories

# The clusters live outside $E2E_TMP, which only root may enter.
PGROOT=$(mktemp -d /tmp/shmtool-pg.XXXXXX) || exit 1
chmod 0755 "$PGROOT"
trap 'e2e_cleanup; pg_cleanup; rm -rf -- "$E2E_TMP" "$PGROOT"' EXIT
PGU=(runuser -u postgres --)

pg_bin() {
	local d
	for d in /usr/lib/postgresql/*/bin; do
		[ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
	done
	return 1
}

pg_need() {
	isolated || skip "PostgreSQL runs only in the private namespace (as root)"
	PGBIN=$(pg_bin) || skip "PostgreSQL is not installed (make deps installs it)"
	id postgres >/dev/null 2>&1 || skip "no postgres user"
	PGUID=$(id -u postgres)
	chown postgres: "$PGROOT"
	if [ ! -d "$PGROOT/template" ]; then
		"${PGU[@]}" "$PGBIN/initdb" -D "$PGROOT/template" -A trust \
			-U postgres --no-sync >"$PGROOT/initdb.log" 2>&1 ||
			fail "initdb failed: $(tail -n 3 "$PGROOT/initdb.log")"
	fi
}

pg_new() {
	local d=$PGROOT/$1
	mkdir -p "$d"
	cp -a "$PGROOT/template" "$d/data"
	chown -R postgres: "$d"
	chmod 0700 "$d/data"
}

pg_start() {
	local name=$1 d=$PGROOT/$1 how=pg_ctl i
	shift
	[ "${1:-}" = --postmaster ] && { how=postmaster; shift; }
	local opts=(-c "listen_addresses=" -c "unix_socket_directories=$d" "$@")
	echo "pg $name" >>"$E2E_TMP/cleanup"
	if [ "$how" = pg_ctl ]; then
		"${PGU[@]}" "$PGBIN/pg_ctl" -D "$d/data" -l "$d/log" -w -t 60 \
			-o "${opts[*]}" start >/dev/null 2>&1 ||
			fail "postgres $name did not start: $(tail -n 5 "$d/log")"
	else
		"${PGU[@]}" "$PGBIN/postmaster" -D "$d/data" "${opts[@]}" \
			>"$d/log" 2>&1 </dev/null &
		for i in $(seq 1 300); do
			"${PGU[@]}" "$PGBIN/pg_isready" -q -h "$d" && break
			sleep 0.1
		done
		"${PGU[@]}" "$PGBIN/pg_isready" -q -h "$d" ||
			fail "postmaster $name did not start: $(tail -n 5 "$d/log")"
	fi
}

pg_query() {
	"${PGU[@]}" "$PGBIN/psql" -h "$PGROOT/$1" -X -q -tA -c "$2" postgres 2>&1
}

pg_pm() { head -n 1 "$PGROOT/$1/data/postmaster.pid"; }

pg_kill() {
	local pm i
	pm=$(pg_pm "$1") || fail "no postmaster.pid for $1"
	kill -STOP "$pm" 2>/dev/null
	pkill -KILL -P "$pm"
	kill -KILL "$pm" 2>/dev/null
	for i in $(seq 1 100); do
		pgrep -P "$pm" >/dev/null || kill -0 "$pm" 2>/dev/null || return 0
		# A zombie counts as gone here (its parent may not reap it).
		[ "$(awk '{ print $3 }' "/proc/$pm/stat" 2>/dev/null)" = Z ] &&
			! pgrep -P "$pm" >/dev/null && return 0
		sleep 0.05
	done
	fail "postgres $1 did not die"
}

pg_stop() {
	"${PGU[@]}" "$PGBIN/pg_ctl" -D "$PGROOT/$1/data" -m fast -w stop \
		>/dev/null 2>&1
}

# The shmids attached by the processes of the cluster (postmaster and its
# children), from /proc/PID/maps (/SYSVkey, the inode is the shmid).
pg_sysv_of() {
	local pm p
	pm=$(pg_pm "$1")
	for p in $pm $(pgrep -P "$pm"); do
		awk '$6 ~ /^\/SYSV/ { print $5 }' "/proc/$p/maps" 2>/dev/null
	done | sort -un
}

# Every segment of the postgres user (only ours, in the private namespace).
pg_segments() {
	local key id perms size cpid lpid nattch uid rest
	while read -r key id perms size cpid lpid nattch uid rest; do
		[ "$key" = key ] && continue
		[ "$uid" = "$PGUID" ] && echo "$id"
	done <"$SYSVIPC"
	find "$SHMDIR" -maxdepth 1 -user postgres -name 'PostgreSQL.*' -printf '/%f\n'
}

pg_cleanup() {
	local id
	isolated || return 0
	pkill -KILL -u postgres 2>/dev/null
	sleep 0.1
	if id postgres >/dev/null 2>&1; then
		PGUID=$(id -u postgres)
		for id in $(pg_segments); do
			case $id in
			/*) rm -f -- "$SHMDIR/${id#/}" ;;
			*) "$SHMHELPER" sysv-rm "id:$id" >/dev/null 2>&1 ;;
			esac
		done
	fi
	[ -d "$PGROOT" ] && find "$PGROOT" -mindepth 1 -maxdepth 1 \
		! -name template ! -name initdb.log -exec rm -rf {} +
}
