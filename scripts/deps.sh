#!/usr/bin/env bash
# Installs the Debian packages Kensa needs, only those that are missing.
#   scripts/deps.sh build   - what building and running needs (libyara, pkg-config)
#   scripts/deps.sh test    - plus what the test suites need
#   scripts/deps.sh docker  - plus what make compose-test needs (its own dockerd, debootstrap, Compose v2)
set -euo pipefail

want=(libyara-dev pkg-config gcc)
want+=(libjpeg62-turbo-dev) # urls/internal/jpegluma: JPEG pictures searched for codes are decoded by libjpeg-turbo (cgo)
if [ "${1:-build}" = test ]; then
  want+=(postfix swaks miltertest m4 libwrap0 postgresql qpdf)
  want+=(tlsh-tools)        # known: the reference TLSH tool our digests are proven against
  want+=(tnef sharutils)    # internal/corpus: our TNEF and uuencode writers are checked with Debian's tnef and uudecode
  want+=(p7zip-full bzip2) # testdata/gen/unpack-fixtures.sh (7z, bzip2 and 7-Zip-made encrypted zip fixtures)
  want+=(unzip libarchive-tools) # unpack: zip names as Info-ZIP unzip and libarchive (bsdtar) show them
  want+=(zip)               # unpack: password-protected zips made by Info-ZIP's zip -P (TestPasswordSources)
  want+=(liblnk-utils)      # shelllink: our Windows shortcut reader and the corpus's writer are held to liblnk's lnkinfo
  want+=(libemail-outlook-message-perl libemail-address-perl) # unpack: .msg files as msgconvert (Email::Outlook::Message) reads them; msgconvert needs Email::Address, only a Recommends
  want+=(clamav-daemon)     # scanners/clamd tests start their own clamd with their own signatures
  want+=(chromium)          # console tests drive a real headless browser (chromedp)
  want+=(systemd)           # dist tests: systemd-analyze verify and systemd-sysusers on the service files
  # internal/corpus/formats and unpack: the Office writers and readers are checked against LibreOffice
  want+=(libreoffice-core-nogui libreoffice-calc-nogui libreoffice-impress-nogui)
  want+=(libreoffice-writer-nogui python3-uno) # unpack: LibreOffice encrypts and opens encrypted Office files (soffice.Crypt)
  want+=(libjpeg-turbo-progs python3-pil) # urls/internal/jpegluma: our luma decoder is checked on JPEGs cjpeg and Pillow write
  want+=(wamerican)        # urls: brands read inside glued site names are proven to match no English word
  want+=(poppler-utils)     # urls, internal/corpus: drawn codes against what pdftoppm renders, page text against pdftotext, padded links against pdftotext and pdfinfo
  want+=(zbar-tools)        # urls: designer codes in pictures are checked against zbarimg, a second reader as phones read them
  # unpack: disk images (VHD, VHDX, MBR/GPT, FAT, NTFS) made by real tools (mkfs.fat and mcopy, mkntfs and
  # ntfscp, qemu-img) are read and compared with what 7-Zip (7zz, which reads VHDX and NTFS) lists
  want+=(dosfstools mtools ntfs-3g qemu-utils 7zip)
  # unpack: ARJ, LZH, ACE and Unix compress readers are proven against the tools that make and open them
  want+=(arj lhasa jlha-utils unace ncompress lzip lz4)
  want+=(exfatprogs exfat-fuse) # unpack: exFAT images made by mkfs.exfat, files written into them through exfat-fuse, checked with fsck.exfat
fi
if [ "${1:-build}" = docker ]; then
  # make compose-test: a private dockerd (no iptables), base images made with
  # debootstrap, swaks, jq and curl for its checks; Compose v2 is built below.
  want+=(debootstrap swaks jq curl)
  # Debian's engine only where the machine has none (docker.io would
  # conflict with an installed Docker CE and replace it).
  command -v dockerd >/dev/null || want+=(docker.io)
fi
# Compose v2, the "docker compose" the README's trial uses: Debian has no
# package, so scripts/compose-v2.sh builds the pinned version from the Go
# module proxy once and installs it as a CLI plugin for the test's engine.
compose_v2() {
  [ "${1:-build}" = docker ] || return 0
  "$(dirname "$0")/compose-v2.sh" >/dev/null
}

# staticcheck for make lint, pinned, from the Go module proxy: installed when it
# is missing or another version. 2026.2.2 (v0.8.2) is the release that knows Go 1.26.
STATICCHECK_VERSION=v0.8.2
if [ "${1:-build}" = test ]; then
  sc="$(${GO:-go} env GOPATH)/bin/staticcheck"
  if ! "$sc" -version 2>/dev/null | grep -qF "(${STATICCHECK_VERSION#v})"; then
    echo "deps: installing staticcheck $STATICCHECK_VERSION" >&2
    ${GO:-go} install "honnef.co/go/tools/cmd/staticcheck@$STATICCHECK_VERSION"
  fi
fi

# javascript-obfuscator (obfuscator.io), pinned, from the npm registry into a cache
# directory: scanners/heuristic's tests obfuscate phishing pages with the real tool
# (node runs it; nodejs is wanted, whose npm installs it).
JSOBF_VERSION=5.8.0
if [ "${1:-build}" = test ]; then
  command -v node >/dev/null || want+=(nodejs npm)
fi
jsobf() {
  [ "${1:-build}" = test ] || return 0
  dir=${KENSA_JSOBF_DIR:-/var/cache/kensa-test/javascript-obfuscator-$JSOBF_VERSION}
  [ -f "$dir/node_modules/javascript-obfuscator/package.json" ] && return 0
  if ! command -v npm >/dev/null; then
    echo "deps: npm not found: javascript-obfuscator not installed (its tests will say so)" >&2
    return 0
  fi
  echo "deps: installing javascript-obfuscator $JSOBF_VERSION in $dir" >&2
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-audit --no-fund --ignore-scripts --loglevel=error "javascript-obfuscator@$JSOBF_VERSION" >/dev/null
}

missing=()
for p in "${want[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  compose_v2 "${1:-build}"
  jsobf "${1:-build}"
  exit 0
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "deps: installing ${missing[*]}" >&2
# "No configuration" keeps the system Postfix unconfigured and stopped: tests run private instances.
echo "postfix postfix/main_mailer_type select No configuration" | $sudo debconf-set-selections
$sudo apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null
# ClamAV: the tests run a private clamd on a tiny signature database. Installing
# must not start the system clamd or freshclam (which would download the
# official databases): freshclam is set to manual, and while installing, a
# policy-rc.d refuses every service start unless the machine has its own.
clamav=""
for p in "${missing[@]}"; do [ "$p" = clamav-daemon ] && clamav=1; done
policy=/usr/sbin/policy-rc.d
ours=""
if [ -n "$clamav" ]; then
  echo "clamav-freshclam clamav-freshclam/autoupdate_freshclam select manual" | $sudo debconf-set-selections
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# scripts/deps.sh: no service starts while Kensa test packages install\nexit 101\n' | $sudo tee "$policy" >/dev/null
    $sudo chmod 755 "$policy"
    ours=1
    trap '$sudo rm -f "$policy"' EXIT
  fi
fi
DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}" >/dev/null
if [ -n "$clamav" ]; then
  [ -n "$ours" ] && $sudo rm -f "$policy"
  # Nor at the next boot: these services were installed for the tests only.
  if [ -d /run/systemd/system ]; then
    $sudo systemctl disable --now clamav-daemon.service clamav-daemon.socket clamav-freshclam.service >/dev/null 2>&1 || true
  fi
  $sudo update-rc.d clamav-freshclam disable >/dev/null 2>&1 || true
  $sudo update-rc.d clamav-daemon disable >/dev/null 2>&1 || true
fi
compose_v2 "${1:-build}"
jsobf "${1:-build}"
