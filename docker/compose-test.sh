#!/usr/bin/env bash
# make compose-test: the docker compose trial, for real, with the README's
# own commands and Docker Compose v2 (built by scripts/compose-v2.sh, used
# as a CLI plugin through DOCKER_CONFIG). Starts a private Docker engine,
# builds the base images locally (no container registry is needed: Debian's
# mirror and the Go module proxy are), runs the README's
# "docker compose -f docker/compose.yaml up --build", sends the samples with
# docker/send-samples.sh through the composed Postfix on 127.0.0.1:2525 and
# checks what happened to each, holds a message in Postfix's deferred queue
# while the mailbox is down and delivers it once it is back, and ends with
# the README's "down -v".
#
# The engine's images and build cache stay in $KENSA_DOCKER_CACHE
# (default /var/cache/kensa-test/docker) so that later runs are fast;
# make compose-clean removes them. Needs root (dockerd, debootstrap).
set -euo pipefail
cd "$(dirname "$0")/.."

CACHE=${KENSA_DOCKER_CACHE:-/var/cache/kensa-test/docker}
RUNDIR=/run/kensa-compose-test # dockerd's exec root and socket: a short path (unix socket names are short)
DOCKER=/usr/bin/docker         # Debian's client, the same version as its dockerd
PROJECT=docker                 # compose's default for docker/compose.yaml (its directory)
FILE=docker/compose.yaml
# The README's commands, run as they are written there (checked below).
UP='docker compose -f docker/compose.yaml up --build'
SEND='docker/send-samples.sh'
QLIST='docker compose -f docker/compose.yaml exec kensa kensa quarantine list'
DOWN='docker compose -f docker/compose.yaml down -v'
# Compose v2 as a CLI plugin of this test's engine only (scripts/compose-v2.sh).
export DOCKER_CONFIG=${KENSA_DOCKER_CONFIG:-/var/cache/kensa-test/docker-config}
PORTS="2525 8025 8899"
GO_IMAGE=golang:1.26-bookworm # the names docker/Dockerfile and docker/postfix/Dockerfile use
BASE_IMAGE=debian:bookworm-slim
ROOTFS_IMAGE=kensa-test/bookworm-minbase # debootstrap output, imported

export DOCKER_HOST=unix://$RUNDIR/docker.sock
start=$(date +%s)
passed=0
failed=0
scratch=$(mktemp -d /tmp/kensa-compose-test.XXXXXX)

say() { printf '[%4ds] %s\n' $(($(date +%s) - start)) "$*"; }
ok() { passed=$((passed + 1)); echo "  ok   $*"; }
bad() { failed=$((failed + 1)); echo "  FAIL $*"; }
die() {
  echo "compose-test: $*" >&2
  failed=$((failed + 1))
  exit 1
}

dc() { "$DOCKER" compose -f "$FILE" "$@"; }
up_pid=""

# --- tear-down: runs however the script ends --------------------------------
dockerd_pid=""
owner="" # set once we hold the lock: only then is the run directory ours to clean
ours() { # pids of processes whose command line names our run directory (containerd, shims)
  local p args
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    [ "$p" = $$ ] && continue
    { mapfile -d '' args <"/proc/$p/cmdline"; } 2>/dev/null || continue
    [[ "${args[*]}" == *"$RUNDIR"* ]] && echo "$p"
  done
  return 0
}
stop_engine() {
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  kill -KILL "$pid" 2>/dev/null || true
}
unmount_leftovers() {
  local m
  for m in $(awk -v a="$RUNDIR" -v b="$CACHE/" '$2 == a || index($2, a "/") == 1 || index($2, b) == 1 {print $2}' /proc/self/mounts | sort -r); do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
  done
}
teardown() {
  local code=$?
  set +e
  if [ -n "$dockerd_pid" ] && kill -0 "$dockerd_pid" 2>/dev/null; then
    if [ $failed -gt 0 ] && $DOCKER info >/dev/null 2>&1; then
      echo "--- docker compose logs (last 40 lines per service) ---"
      dc logs --no-color --tail 40 2>&1 | sed 's/^/  /'
    fi
    if dc ps -q 2>/dev/null | grep -q .; then
      timeout 120 "$DOCKER" compose -f "$FILE" down -v --remove-orphans -t 5 >"$scratch/down.log" 2>&1 ||
        echo "compose down failed: $(tail -n 3 "$scratch/down.log")"
    fi
    [ -n "$up_pid" ] && { kill "$up_pid" 2>/dev/null; wait "$up_pid" 2>/dev/null; }
    # Images no name points to any more (earlier builds): the cache keeps one build's worth.
    $DOCKER image prune -f >/dev/null 2>&1
    stop_engine "$dockerd_pid"
  fi
  if [ -n "$owner" ]; then
    for p in $(ours); do kill -KILL "$p" 2>/dev/null; done # containerd and shims of our engine
    unmount_leftovers
    rm -rf "$RUNDIR"
  fi
  rm -rf "$scratch"
  [ $code -ne 0 ] && [ $failed -eq 0 ] && failed=1
  say "done"
  echo "compose-test: $passed passed, $failed failed"
  [ $failed -eq 0 ] && exit 0 || exit 1
}
trap teardown EXIT
trap 'exit 1' INT TERM

[ "$(id -u)" -eq 0 ] || die "needs root (it runs its own dockerd)"
for c in dockerd "$DOCKER" debootstrap swaks jq curl; do
  command -v "$c" >/dev/null || die "$c is missing: run scripts/deps.sh docker"
done
# The README's "docker" is Debian's client here, whatever else is on PATH.
export PATH=/usr/bin:$PATH
[ "$(command -v docker)" = "$DOCKER" ] || die "docker on PATH is $(command -v docker), not Debian's $DOCKER"
"$DOCKER" compose version >/dev/null 2>&1 || die "no Compose v2 plugin in $DOCKER_CONFIG/cli-plugins: run scripts/deps.sh docker"
# The README shows these commands; this test runs them as written.
for cmd in "$UP" "$SEND" "$QLIST" "$DOWN"; do
  grep -qF -- "$cmd" README.md || die "README.md no longer shows '$cmd': update the README or this test"
done

# One run at a time: the engine's data directory is shared between runs.
mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock -w 1800 9 || die "another compose-test holds $CACHE/.lock"
owner=1

# A run that was killed may have left its engine behind, found by its run
# directory: stop it as the tear-down would have.
if [ -s "$RUNDIR/dockerd.pid" ]; then
  old=$(cat "$RUNDIR/dockerd.pid")
  { [[ $(tr '\0' ' ' <"/proc/$old/cmdline") == *"$RUNDIR"* ]] && stop_engine "$old"; } 2>/dev/null
fi
for p in $(ours); do kill -KILL "$p" 2>/dev/null || true; done
unmount_leftovers
rm -rf "$RUNDIR"

for p in $PORTS; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
    die "127.0.0.1:$p is in use; the trial publishes its ports there (stop what listens on it)"
  fi
done

# --- a private Docker engine --------------------------------------------------
mkdir -p "$RUNDIR"
say "starting dockerd (data in $CACHE)"
# No iptables and no default bridge: the engine must not touch the host's
# firewall. Compose's own network is still a bridge the host reaches
# directly, and published ports are served by docker-proxy. Containerd
# namespaces of its own, in case it finds a system containerd to use.
dockerd --data-root "$CACHE/data" --exec-root "$RUNDIR/exec" --pidfile "$RUNDIR/dockerd.pid" \
  -H "$DOCKER_HOST" --iptables=false --ip6tables=false --bridge=none \
  --containerd-namespace kensa-test --containerd-plugins-namespace kensa-test-plugins \
  >"$scratch/dockerd.log" 2>&1 &
dockerd_pid=$!
for i in $(seq 1 120); do
  $DOCKER info >/dev/null 2>&1 && break
  if ! kill -0 "$dockerd_pid" 2>/dev/null; then
    tail -n 20 "$scratch/dockerd.log" >&2
    die "dockerd exited while starting (log above)"
  fi
  sleep 0.5
done
$DOCKER info >/dev/null 2>&1 || {
  tail -n 20 "$scratch/dockerd.log" >&2
  die "dockerd did not answer within 60 s (log above)"
}
say "dockerd up ($($DOCKER version --format '{{.Server.Version}}')), compose: $($DOCKER compose version --short 2>/dev/null || echo '?')"

# --- base images, made here under the names the Dockerfiles use ---------------
# A Debian root made by debootstrap, imported once.
if ! $DOCKER image inspect "$ROOTFS_IMAGE" >/dev/null 2>&1; then
  say "debootstrap: bookworm minbase"
  root=$scratch/rootfs
  debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >"$scratch/debootstrap.log" 2>&1 ||
    { tail -n 20 "$scratch/debootstrap.log" >&2; die "debootstrap failed (log above)"; }
  # Like Debian's official image: updates and security sources, no package lists or caches.
  rm -f "$root/etc/apt/sources.list"
  cat >"$root/etc/apt/sources.list.d/debian.sources" <<'EOF'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb
  tar -C "$root" -c . | $DOCKER import -c 'CMD ["bash"]' - "$ROOTFS_IMAGE" >/dev/null
  rm -rf "$root"
fi
# debian:bookworm-slim: that root, trusting what this host trusts. A host
# behind a TLS-inspecting proxy has its CA in /usr/local/share/ca-certificates:
# the builds reach Debian's mirror and the Go module proxy through it too,
# and their "apt-get install ca-certificates" picks these files up.
cas=$(cat /usr/local/share/ca-certificates/*.crt 2>/dev/null | sha256sum | cut -c1-16)
if [ "$($DOCKER image inspect -f '{{index .Config.Labels "kensa.cas"}}' "$BASE_IMAGE" 2>/dev/null)" != "$cas" ]; then
  say "$BASE_IMAGE: the debootstrapped root + this host's local CA certificates"
  ctx=$scratch/base-image
  mkdir -p "$ctx/certs"
  cp /usr/local/share/ca-certificates/*.crt "$ctx/certs/" 2>/dev/null || true
  printf 'FROM %s\nCOPY certs/ /usr/local/share/ca-certificates/\nLABEL kensa.cas=%s\n' "$ROOTFS_IMAGE" "$cas" >"$ctx/Dockerfile"
  $DOCKER build -q -t "$BASE_IMAGE" "$ctx" >/dev/null || die "building $BASE_IMAGE failed"
fi
# golang:1.26-bookworm: that image with this machine's Go.
go_version=$(/usr/local/go/bin/go env GOVERSION)
want_go="$go_version $cas"
if [ "$($DOCKER image inspect -f '{{index .Config.Labels "kensa.go"}}' "$GO_IMAGE" 2>/dev/null)" != "$want_go" ]; then
  say "$GO_IMAGE: $BASE_IMAGE with this machine's $go_version"
  ctx=$scratch/go-image
  mkdir -p "$ctx"
  ln -s /usr/local/go "$ctx/go"
  cat >"$ctx/Dockerfile" <<EOF
FROM $BASE_IMAGE
COPY go /usr/local/go
ENV GOPATH=/go PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin GOTOOLCHAIN=local
WORKDIR /go
LABEL kensa.go="$want_go"
EOF
  tar -C "$ctx" -ch --exclude=go/test . | $DOCKER build -q -t "$GO_IMAGE" - >/dev/null || die "building $GO_IMAGE failed"
fi

# --- up, as the README says ---------------------------------------------------------
# "up --build" builds the three images (the builds use the host's network,
# as compose.yaml says: this engine has no NAT), starts the trial and stays
# in the foreground with its logs, as for a user in a terminal.
say "$UP"
t=$(date +%s)
uplog=$CACHE/last-up.log # kept for a look after the run
bash -c "$UP" >"$uplog" 2>&1 </dev/null &
up_pid=$!
banner=""
deadline=$(($(date +%s) + 1800))
while [ "$(date +%s)" -lt $deadline ]; do
  kill -0 "$up_pid" 2>/dev/null || { tail -n 40 "$uplog" >&2; die "'$UP' ended before the trial was up (log above)"; }
  banner=$(timeout 1 bash -c 'exec 3<>/dev/tcp/127.0.0.1/2525 && head -n 1 <&3' 2>/dev/null || true)
  case "$banner" in 220*) break ;; esac
  sleep 1
done
case "$banner" in
  220*) say "trial built and up in $(($(date +%s) - t)) s: $banner; images: $($DOCKER image ls --format '{{.Repository}} {{.Size}}' | grep -E '^(kensa|kensa-trial-[a-z]+) ' | tr '\n' ',' | sed 's/,$//')" ;;
  *) tail -n 40 "$uplog" >&2; die "Postfix did not greet on 127.0.0.1:2525 within 30 minutes (log above)" ;;
esac

# --- the checks -------------------------------------------------------------------------
kensa_id=$(dc ps -q kensa)
health=$($DOCKER inspect -f '{{.State.Health.Status}}' "$kensa_id")
[ "$health" = healthy ] && ok "kensa container is healthy (HEALTHCHECK: kensa health --ready)" || bad "kensa container health: $health"
user=$($DOCKER inspect -f '{{.Config.User}}' "$kensa_id")
[ "$user" = kensa ] && ok "kensa runs as user kensa" || bad "kensa runs as user '$user'"

say "$SEND"
bash -c "$SEND" >"$scratch/sent.txt" 2>&1 </dev/null || true
sed 's/^/  | /' "$scratch/sent.txt"
answer() { awk -v n="$1" '$1 == n {$1 = ""; sub(/^ /, ""); print}' "$scratch/sent.txt"; }
expect_answer() { # sample, pattern, what
  local a
  a=$(answer "$1")
  if printf '%s' "$a" | grep -Eq "$2"; then ok "$1: $3 ($a)"; else bad "$1: want $3, got '$a'"; fi
}
expect_answer 1-clean.eml '^250 ' "accepted at DATA"
expect_answer 2-tagged.eml '^250 ' "accepted at DATA"
expect_answer 3-quarantined.eml '^250 ' "accepted at DATA (Kensa keeps it, Postfix discards its copy)"
expect_answer 4-rejected.eml '^550 5\.7\.1 Message rejected by content filter \(ref [a-z0-9]+\)' "550 at DATA"
expect_answer eicar '^550 5\.7\.1 Message rejected by content filter \(ref [a-z0-9]+\)' "550 at DATA"

# Delivered mail: the mailbox's JSON list, waited for (Postfix relays it).
mailbox() { curl -fsS --max-time 5 http://127.0.0.1:8025/api/messages; }
verdict_of() { # subject word -> X-Kensa-Verdict of the delivered message, or ""
  mailbox | jq -r --arg w "$1" '[.[] | select(.subject | contains($w))][0].kensa["X-Kensa-Verdict"] // ""'
}
wait_delivered() { # subject word
  local i
  for i in $(seq 1 60); do
    [ -n "$(verdict_of "$1" 2>/dev/null)" ] && return 0
    sleep 0.5
  done
  return 1
}
for s in "clean:accept" "tagged:tag"; do
  word=${s%%:*} want=${s#*:}
  if wait_delivered "trial: $word"; then
    v=$(verdict_of "trial: $word")
    case "$v" in "$want; score="*) ok "$word sample delivered with X-Kensa-Verdict: $v" ;; *) bad "$word sample delivered with X-Kensa-Verdict: '$v', want $want" ;; esac
  else
    bad "$word sample not delivered to the mailbox within 30 s"
  fi
done
findings=$(mailbox | jq -r '[.[] | select(.subject | contains("trial: tagged"))][0].kensa["X-Kensa-Findings"] // ""')
case "$findings" in *heuristic/ip-url*) ok "tagged sample has X-Kensa-Findings: $findings" ;; *) bad "tagged sample's X-Kensa-Findings: '$findings'" ;; esac
undelivered=$(mailbox | jq -r '[.[] | select(.subject | test("trial: (quarantined|rejected|EICAR)"))] | length')
[ "$undelivered" = 0 ] && ok "no quarantined or rejected sample reached the mailbox" || bad "$undelivered quarantined or rejected samples reached the mailbox"

# Quarantined mail is in Kensa's store, as the README's command shows;
# releasing it delivers it.
if script -qec "$QLIST" /dev/null >"$scratch/qlist.txt" 2>&1 </dev/null && grep -q 'trial: quarantined' "$scratch/qlist.txt"; then
  ok "$QLIST: lists the quarantined sample"
else
  bad "$QLIST: $(tr -d '\r' <"$scratch/qlist.txt" | tail -n 5 | tr '\n' ' ')"
fi
q=$(dc exec -T kensa kensa quarantine list --json)
qid=$(printf '%s' "$q" | jq -r '[.[] | select(.subject | contains("trial: quarantined"))][0].id // ""')
qn=$(printf '%s' "$q" | jq 'length')
if [ -n "$qid" ] && [ "$qn" = 1 ]; then
  ok "quarantined sample is in Kensa's quarantine ($qid, reasons $(printf '%s' "$q" | jq -c '.[0].verdict.reasons'))"
  # The console, logged in with the trial's password from the README (the login
  # form carries a pre-session token, in its cookie and a hidden field).
  token=$(curl -s -c "$scratch/jar" -b "$scratch/jar" --max-time 10 http://127.0.0.1:8899/quarantine/login |
    sed -n 's/.*name="login_csrf" value="\([^"]*\)".*/\1/p' || true)
  code=$(curl -sL -c "$scratch/jar" -b "$scratch/jar" -o "$scratch/console.html" -w '%{http_code}' --max-time 10 \
    --data-urlencode name=admin --data-urlencode password=kensa-trial --data-urlencode "login_csrf=$token" \
    http://127.0.0.1:8899/quarantine/login || true)
  if [ "$code" = 200 ] && grep -q 'Kensa trial: quarantined' "$scratch/console.html"; then
    ok "console: admin / kensa-trial logs in and lists the quarantined sample"
  else
    bad "console login as admin / kensa-trial: HTTP $code, quarantined sample listed: $(grep -c 'Kensa trial: quarantined' "$scratch/console.html")"
  fi
  if dc exec -T kensa kensa quarantine release "$qid" >"$scratch/release.txt" 2>&1 && wait_delivered "trial: quarantined"; then
    ok "released from the quarantine through postfix:10026 into the mailbox"
  else
    bad "release of $qid: $(tr '\n' ' ' <"$scratch/release.txt")"
  fi
else
  bad "quarantine list: want the quarantined sample alone, got: $(printf '%s' "$q" | tr -d '\n' | head -c 300)"
fi

# Metrics and the console, on 127.0.0.1:8899.
metrics=$(curl -fsS --max-time 5 http://127.0.0.1:8899/metrics || true)
for a in accept tag quarantine reject; do
  n=$(printf '%s\n' "$metrics" | awk -v a="action=\"$a\"" '/^kensa_messages_total\{/ && index($0, a) {s += $NF} END {print s + 0}')
  case "$a" in reject) want=2 ;; *) want=1 ;; esac
  [ "$n" -ge "$want" ] && ok "/metrics: kensa_messages_total{action=\"$a\"} = $n" || bad "/metrics: kensa_messages_total{action=\"$a\"} = $n, want >= $want"
done
code=$(curl -sL -o "$scratch/console.html" -w '%{http_code}' --max-time 5 http://127.0.0.1:8899/quarantine/ || true)
if [ "$code" = 200 ] && grep -qi 'password' "$scratch/console.html"; then
  ok "console without a session: its login page on 127.0.0.1:8899/quarantine/"
else
  bad "console on 127.0.0.1:8899/quarantine/: HTTP $code"
fi
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 http://127.0.0.1:8025/ || true)
[ "$code" = 200 ] && ok "mailbox page answers on 127.0.0.1:8025" || bad "mailbox page: HTTP $code"

# Published only on loopback.
ports=$($DOCKER ps --filter "label=com.docker.compose.project=$PROJECT" --format '{{.Ports}}' | tr ',' '\n' | grep -- '->' | sed 's/^ *//')
if [ -n "$ports" ] && ! printf '%s\n' "$ports" | grep -vq '^127\.0\.0\.1:'; then
  ok "ports published on 127.0.0.1 only: $(printf '%s' "$ports" | tr '\n' ' ')"
else
  bad "published ports: $ports"
fi

# --- when the mail server behind Postfix is down -------------------------------------------
# The mail waits in Postfix's deferred queue (for up to 10 days:
# maximal_queue_lifetime), already scanned; when the mailbox is back, a
# flush delivers it with the verdict Kensa gave it at receipt.
lifetime=$(dc exec -T postfix postconf -h maximal_queue_lifetime | tr -d '\r')
[ "$lifetime" = 10d ] && ok "Postfix keeps deferred mail for maximal_queue_lifetime = $lifetime" || bad "maximal_queue_lifetime = '$lifetime', want 10d"
say "mailbox down: docker compose -f $FILE stop mailbox"
dc stop mailbox >"$scratch/stop.log" 2>&1 || bad "stopping the mailbox: $(tail -n 3 "$scratch/stop.log")"
docker/send-samples.sh docker/samples/1-clean.eml >"$scratch/deferred-send.txt" 2>&1 </dev/null || true
a=$(awk '$1 == "1-clean.eml" {$1 = ""; sub(/^ /, ""); print}' "$scratch/deferred-send.txt")
case "$a" in 250*) ok "with the mailbox down, Postfix still accepts mail after Kensa's scan ($a)" ;; *) bad "with the mailbox down: '$a'" ;; esac
deferred=""
for i in $(seq 1 60); do
  deferred=$(dc exec -T postfix postqueue -j 2>/dev/null | jq -c 'select(.queue_name == "deferred")' 2>/dev/null | head -n 1)
  [ -n "$deferred" ] && break
  sleep 1
done
if [ -n "$deferred" ]; then
  ok "the message waits in Postfix's deferred queue: $(printf '%s' "$deferred" | jq -r '"\(.queue_id): \(.recipients[0].delay_reason // "")"' | cut -c1-160)"
  qid_deferred=$(printf '%s' "$deferred" | jq -r .queue_id)
  say "mailbox back: docker compose -f $FILE start mailbox; postqueue -f"
  dc start mailbox >"$scratch/start.log" 2>&1 || bad "starting the mailbox: $(tail -n 3 "$scratch/start.log")"
  for i in $(seq 1 60); do
    curl -fsS --max-time 2 -o /dev/null http://127.0.0.1:8025/ 2>/dev/null && break
    sleep 0.5
  done
  dc exec -T postfix postqueue -f >/dev/null 2>&1 || bad "postqueue -f failed"
  if wait_delivered "trial: clean"; then
    v=$(verdict_of "trial: clean")
    case "$v" in "accept; score="*) ok "after the flush, $qid_deferred arrives with X-Kensa-Verdict: $v" ;; *) bad "after the flush: X-Kensa-Verdict '$v'" ;; esac
  else
    bad "$qid_deferred not delivered within 30 s of the flush"
  fi
  left=$(dc exec -T postfix postqueue -j 2>/dev/null | jq -s 'length')
  [ "$left" = 0 ] && ok "Postfix's queue is empty again" || bad "$left messages still queued"
else
  bad "no deferred message in Postfix's queue within 60 s: $(dc exec -T postfix postqueue -j 2>&1 | head -c 300)"
  dc start mailbox >/dev/null 2>&1 || true
fi

# --- down, as the README says --------------------------------------------------------------
say "$DOWN"
if bash -c "$DOWN" >"$scratch/down.log" 2>&1 </dev/null; then
  left=$(dc ps -aq | wc -l)
  vols=$($DOCKER volume ls -q --filter "label=com.docker.compose.project=$PROJECT" | wc -l)
  [ "$left" = 0 ] && [ "$vols" = 0 ] && ok "$DOWN: no container or volume left" || bad "$DOWN left $left containers and $vols volumes"
else
  bad "$DOWN: $(tail -n 3 "$scratch/down.log")"
fi
wait "$up_pid" 2>/dev/null
up_pid=""
say "checks done"
