#!/usr/bin/env bash
# `systemd-analyze verify` on deploy/systemd/newsd.service, with ExecStart
# pointed at the freshly built binary (verify checks it is executable).
# usage: verify_systemd_unit.sh BUILD/newsd UNIT
set -euo pipefail
newsd=$1 unit=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
sed "s#/usr/local/bin/newsd#${newsd}#g" "$unit" >"$dir/newsd.service"
out=$(systemd-analyze verify "$dir/newsd.service" 2>&1) || { echo "$out"; exit 1; }
# verify exits 0 on some warnings; treat any output about our unit as failure.
if grep -q "newsd.service" <<<"$out"; then echo "$out"; exit 1; fi
echo "systemd-analyze verify: ok"
