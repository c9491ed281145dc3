# Shared by the deploy/local scripts: where things live, logging, waiting. Sourced, not run.
# shellcheck shell=bash

PLEDGE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# Everything the local scripts create (broker jars and data, JWT keys, logs, pid files) lives here,
# outside target/ (a `mvn clean` must not delete a running broker's data) and ignored by git.
PLEDGE_DATA_DIR=${PLEDGE_DATA_DIR:-$PLEDGE_ROOT/.pledge}
PLEDGE_LOGS=$PLEDGE_DATA_DIR/logs
PLEDGE_PIDS=$PLEDGE_DATA_DIR/pids
export PLEDGE_DATA_DIR
mkdir -p "$PLEDGE_LOGS" "$PLEDGE_PIDS"

PG_HOST=127.0.0.1
PG_PORT=5432
# The running system's broker. Tests never use it: they get a broker of their own (below).
PLEDGE_KAFKA_PORT=9092
KAFKA_BOOTSTRAP=127.0.0.1:$PLEDGE_KAFKA_PORT
KAFKA_VERSION=4.1.2
# Kafka passwords (SASL/SCRAM-SHA-512), one 0600 file per principal: <principal>.password (deploy/README.md)
PLEDGE_KAFKA_CREDENTIALS=$PLEDGE_DATA_DIR/kafka-credentials
ADMIN_PRINCIPAL=pledge-admin

# What a test run owns, apart from the running system's: its broker (ports 29092/29093, data under
# .pledge/test/kafka, emptied at every run), its logs and pid files. Test databases are the *_test and
# *_e2e twins (deploy/local/postgres reset-test). Tests find the broker through the %test profile
# (service-kit's microprofile-config.properties) and e2e-tests' PledgeSystem.
PLEDGE_TEST_DIR=$PLEDGE_DATA_DIR/test
PLEDGE_TEST_KAFKA_PORT=29092
PLEDGE_TEST_KAFKA_CREDENTIALS=$PLEDGE_TEST_DIR/kafka-credentials
PLEDGE_TEST_MARKER=$PLEDGE_TEST_DIR/pids/test-run.pid

# module  port  database
PLEDGE_SERVICES="account-service:8081:pledge_account
consent-service:8082:pledge_consent
rights-request-service:8083:pledge_rights
notification-service:8084:pledge_notification
audit-service:8085:pledge_audit"

log()  { printf '[pledge %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die()  { printf '[pledge %s] ERROR: %s\n' "$(date +%H:%M:%S)" "$*" >&2; exit 1; }

# port_open HOST PORT: true when something accepts TCP connections there.
port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
# Closes every descriptor above 2 this (sub)shell inherited. For a daemon that outlives the script: started under
# `flock /tmp/pledge-test.lock deploy/local/test`, it would otherwise keep the lock's descriptor open and so hold the
# machine-wide test lock for as long as it runs (seen: a PostgreSQL cluster started by a test run wedged every later one).
close_inherited_fds() {
    local fd
    for fd in /proc/$BASHPID/fd/*; do
        fd=${fd##*/}
        if [ "$fd" -gt 2 ] 2>/dev/null; then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
    return 0
}

# wait_for SECONDS DESCRIPTION COMMAND...: retries COMMAND every half second.
wait_for() {
    local seconds=$1 what=$2; shift 2
    local deadline=$((SECONDS + seconds))
    until "$@"; do
        if ((SECONDS >= deadline)); then return 1; fi
        sleep 0.5
    done
}

# pid_alive FILE: the pid written in FILE belongs to a live process.
# Closes every file descriptor above stderr in the current (sub)shell, e.g. before starting a server that
# outlives the caller, so that it does not keep the caller's files (such as a flock'ed lock file) open.
close_inherited_fds() {
    local fd
    for fd in /proc/$BASHPID/fd/*; do
        fd=${fd##*/}
        if [ "$fd" -gt 2 ] 2>/dev/null; then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# stop_pid FILE NAME: TERM, wait up to 30 s, then KILL; removes FILE.
stop_pid() {
    local file=$1 name=$2 pid
    [ -f "$file" ] || return 0
    pid=$(cat "$file")
    if kill -0 "$pid" 2>/dev/null; then
        log "stopping $name (pid $pid)"
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        if kill -0 "$pid" 2>/dev/null; then
            log "$name did not stop in 30 s; killing it"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    rm -f "$file"
}

# as_postgres CMD...: run a command as the postgres OS user (for role and database creation).
as_postgres() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        sudo -n -u postgres "$@"
    fi
}

# ensure_libargon2: account-service hashes passwords with Debian's libargon2-1 (the reference C Argon2id, through JNA),
# about 1.6 times BouncyCastle's pure-Java hash rate; without it the service still works, in pure Java. Installed if
# missing, as the other scripts install their packages (apt-get needs root; a warning, not a failure, without it).
ensure_libargon2() {
    ldconfig -p 2>/dev/null | grep -q 'libargon2\.so\.1 ' && return
    log "installing libargon2-1 from Debian's packages (account-service's native Argon2id)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libargon2-1; } >/dev/null 2>&1 \
        || log "WARNING: libargon2-1 could not be installed; account-service will hash passwords in pure Java (slower)"
}
