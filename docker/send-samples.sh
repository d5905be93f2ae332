#!/usr/bin/env bash
# Sends the trial's sample mails through the composed Postfix and prints the
# SMTP answer each one got:
#   docker/send-samples.sh [--server HOST:PORT] [FILE.eml|eicar ...]
# By default: every docker/samples/*.eml, then "eicar", a message with the
# EICAR anti-virus test file, assembled here so that no file in the
# repository holds the whole test string. Uses swaks when the host has it
# (Debian: apt-get install swaks); otherwise the swaks inside the postfix
# container (docker compose exec).
#   docker/send-samples.sh --write-eicar FILE   only writes the EICAR sample
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
server=127.0.0.1:2525
from=alice@example.com
to=bob@example.org

eicar_message() {
  # The EICAR test string, in three pieces (see internal/testmail).
  local eicar
  eicar=$(printf '%s%s%s' 'X5O!P%@AP[4\PZX54(P^)7CC)7}$' 'EICAR-STANDARD-ANTIVIRUS' '-TEST-FILE!$H+H*')
  cat <<EOF
From: Alice <$from>
To: Bob <$to>
Subject: Kensa trial: EICAR test file (expect reject)
Message-ID: <trial-eicar@example.com>
Date: Fri, 27 Nov 2026 09:04:00 +0000
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="kensa-trial-e"

--kensa-trial-e
Content-Type: text/plain; charset=utf-8

The attachment is the EICAR anti-virus test file: harmless, and every scanner knows it.

--kensa-trial-e
Content-Type: application/octet-stream
Content-Disposition: attachment; filename="eicar.com"
Content-Transfer-Encoding: 7bit

$eicar
--kensa-trial-e--
EOF
}

samples=()
while [ $# -gt 0 ]; do
  case "$1" in
    --server) server=$2; shift 2 ;;
    --write-eicar) eicar_message > "$2"; exit 0 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) samples+=("$1"); shift ;;
  esac
done
if [ ${#samples[@]} -eq 0 ]; then
  samples=("$here"/samples/*.eml eicar)
fi

# swaks on the host, or the one in the postfix container.
if command -v swaks >/dev/null; then
  send() { swaks --server "$server" --from "$from" --to "$to" --data - 2>&1; }
else
  if docker compose version >/dev/null 2>&1; then compose=(docker compose); else compose=(docker-compose); fi
  echo "(no swaks here: sending from inside the postfix container)" >&2
  send() { "${compose[@]}" -f "$here/compose.yaml" exec -T postfix swaks --server 127.0.0.1:25 --from "$from" --to "$to" --data - 2>&1; }
fi

for s in "${samples[@]}"; do
  if [ "$s" = eicar ]; then
    name=eicar
    out=$(eicar_message | send || true)
  else
    name=$(basename "$s")
    out=$(send < "$s" || true)
  fi
  # The answer that ended the transaction: the last server reply before QUIT's 221.
  answer=$(printf '%s\n' "$out" | grep -E '^ *(<-|<\*\*) +[0-9]{3}[ -]' | grep -vE ' 221[ -]' | tail -n 1 | sed -E 's/^ *(<-|<\*\*) +//')
  [ -n "$answer" ] || answer="no SMTP answer: $(printf '%s\n' "$out" | tail -n 1)"
  printf '%-18s %s\n' "$name" "$answer"
done
