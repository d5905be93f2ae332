#!/usr/bin/env bash
# Installs the Debian packages Kensa needs, only those that are missing.
#   scripts/deps.sh build   - what building and running needs (libyara, pkg-config)
#   scripts/deps.sh test    - plus what the test suites need
set -euo pipefail

want=(libyara-dev pkg-config gcc)
if [ "${1:-build}" = test ]; then
  want+=(postfix swaks miltertest m4 libwrap0 postgresql)
  want+=(p7zip-full bzip2) # testdata/gen/unpack-fixtures.sh (7z, bzip2 and 7-Zip-made encrypted zip fixtures)
fi

missing=()
for p in "${want[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "deps: installing ${missing[*]}" >&2
# "No configuration" keeps the system Postfix unconfigured and stopped: tests run private instances.
echo "postfix postfix/main_mailer_type select No configuration" | $sudo debconf-set-selections
$sudo apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null
DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}" >/dev/null
