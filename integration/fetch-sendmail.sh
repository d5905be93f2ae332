#!/usr/bin/env bash
# Unpacks Debian's Sendmail into a cache directory for the integration tests.
# sendmail-bin conflicts with postfix as a package, so it is never installed:
# apt-get download + dpkg-deb -x, only when the cache is missing.
#   integration/fetch-sendmail.sh [CACHE_DIR]
set -euo pipefail

cache="${1:-${KENSA_SENDMAIL_CACHE:-${XDG_CACHE_HOME:-/var/cache}/kensa-test/sendmail}}"
if [ -x "$cache/root/usr/libexec/sendmail/sendmail" ] && [ -f "$cache/root/usr/share/sendmail/cf/m4/cf.m4" ]; then
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
# _apt cannot write into a private mktemp dir; the download is the same either way.
if ! apt-get -o APT::Sandbox::User=root download sendmail-bin sendmail-base sendmail-cf >download.log 2>&1; then
  echo "fetch-sendmail: apt-get download failed; updating the package lists and retrying" >&2
  apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null
  apt-get -o APT::Sandbox::User=root download sendmail-bin sendmail-base sendmail-cf
fi
mkdir -p root
for deb in sendmail-*.deb; do
  dpkg-deb -x "$deb" root
done
mkdir -p "$(dirname "$cache")"
rm -rf "$cache.new" && mkdir -p "$cache.new"
mv root "$cache.new/root"
ls sendmail-*.deb >"$cache.new/packages"
rm -rf "$cache" && mv "$cache.new" "$cache"
echo "fetch-sendmail: unpacked $(tr '\n' ' ' <"$cache/packages")into $cache" >&2
