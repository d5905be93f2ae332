#!/usr/bin/env bash
# Builds the small binary fixtures of unpack/testdata for formats that have no
# Go writer (7z, bzip2) and encrypted zips made by another implementation
# (7-Zip), so our decryption is checked against a real one. Harmless content
# only: a marker line and a VBA-like text. Needs p7zip-full and bzip2.
#   testdata/gen/unpack-fixtures.sh   (from the repository root)
set -euo pipefail
out="$(cd "$(dirname "$0")/../.." && pwd)/unpack/testdata"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

printf 'KENSA-TEST-MARKER harmless fixture\r\n' > marker.txt
printf 'Sub AutoOpen()\r\n  Shell "calc.exe"\r\nEnd Sub\r\n' > macro.vbs
export TZ=UTC
touch -d '2024-01-01 00:00:00' marker.txt macro.vbs

rm -f "$out"/*.7z "$out"/*.bz2 "$out"/7z-*.zip
# nested: zip inside 7z (the test wraps it in gzip)
7z a -tzip -bd -bso0 inner.zip marker.txt macro.vbs
touch -d '2024-01-01 00:00:00' inner.zip
7z a -t7z -bd -bso0 "$out/nested.7z" inner.zip
# encrypted 7z: contents only, and contents plus names (-mhe)
7z a -t7z -bd -bso0 -p'S3cret-7z' "$out/enc.7z" marker.txt
7z a -t7z -bd -bso0 -p'S3cret-7z' -mhe=on "$out/enc-headers.7z" marker.txt
# encrypted zips from 7-Zip: ZipCrypto and AES-256
7z a -tzip -bd -bso0 -p'Inv0ice#2024' -mem=ZipCrypto "$out/7z-zipcrypto.zip" marker.txt
7z a -tzip -bd -bso0 -p'Inv0ice#2024' -mem=AES256 "$out/7z-aes256.zip" marker.txt
bzip2 -c marker.txt > "$out/marker.txt.bz2"
ls -l "$out"
