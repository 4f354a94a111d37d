#!/usr/bin/env bash
# Build the minimal busybox rootfs used by scripts/setup and the integration tests.
#
#   bundles-fixtures/build-busybox-rootfs.sh [DEST]
#
# DEST defaults to bundles-fixtures/build/busybox under the repo root (git-ignored). The rootfs
# is built from Debian's busybox-static (/bin/busybox, or $RUNDLE_BUSYBOX) into a temporary
# directory next to DEST and renamed into place, only when DEST is missing or older than this
# script or than the busybox binary; otherwise DEST is left alone. Needs root (home directories
# are chowned to their users). Concurrent runs serialise on a lock file next to DEST.
# Progress goes to stderr; stdout gets one line, the absolute path of the rootfs.
set -euo pipefail

self=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")
repo_root=$(cd "$(dirname "$self")/.." && pwd)
busybox=${RUNDLE_BUSYBOX:-/bin/busybox}

if (($# > 1)); then
    echo "usage: $0 [DEST]" >&2
    exit 2
fi
dest=${1:-$repo_root/bundles-fixtures/build/busybox}
dest=${dest%/}
[[ -n "$dest" && "$dest" != / ]] || { echo "build-busybox-rootfs: refusing DEST '/'" >&2; exit 2; }
parent=$(dirname "$dest")
mkdir -p "$parent"
parent=$(cd "$parent" && pwd)
dest=$parent/$(basename "$dest")

if [[ ! -x "$busybox" ]]; then
    echo "build-busybox-rootfs: $busybox not found; install busybox-static (scripts/install-deps)" >&2
    exit 1
fi
if command -v readelf >/dev/null 2>&1 && readelf -l "$busybox" 2>/dev/null | grep -q INTERP; then
    echo "build-busybox-rootfs: $busybox is dynamically linked; install busybox-static" >&2
    exit 1
fi

up_to_date() {
    [[ -d "$dest" && -x "$dest/bin/busybox" && ! "$self" -nt "$dest" && ! "$busybox" -nt "$dest" ]]
}

# Serialise concurrent builders (scripts/setup and scripts/test may run at once).
exec 9>"$parent/.$(basename "$dest").lock"
flock 9

if up_to_date; then
    echo "$dest"
    exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
    echo "build-busybox-rootfs: must run as root (home directories are owned by uids 1000/1001)" >&2
    exit 1
fi

# Never replace something that is not an earlier build of this fixture.
if [[ -e "$dest" || -L "$dest" ]]; then
    if ! grep -qs '^NAME="Rundle busybox fixture"$' "$dest/etc/os-release" &&
       [[ -n "$(ls -A "$dest" 2>/dev/null || echo not-a-dir)" ]]; then
        echo "build-busybox-rootfs: $dest exists and is not a Rundle busybox fixture; not replacing it" >&2
        exit 1
    fi
fi

echo "build-busybox-rootfs: building $dest from $busybox" >&2
tmp=$(mktemp -d "$parent/.$(basename "$dest").new.XXXXXX")
old=""
cleanup() {
    [[ -z "$tmp" ]] || rm -rf -- "$tmp"
    [[ -z "$old" ]] || rm -rf -- "$old"
}
trap cleanup EXIT

chmod 0755 "$tmp"
install -d -m 0755 "$tmp/bin" "$tmp/etc" "$tmp/home" "$tmp/proc" "$tmp/sys" "$tmp/dev"
install -d -m 1777 "$tmp/tmp"
install -d -m 0700 "$tmp/root"
install -d -m 0755 -o 1000 -g 1000 "$tmp/home/alice"
install -d -m 0755 -o 1001 -g 1001 "$tmp/home/bob"

install -m 0755 "$busybox" "$tmp/bin/busybox"
# `busybox --install -s` style: one symlink per applet, all in /bin, relative so they also
# resolve from the host side.
n=0
while IFS= read -r applet; do
    [[ -n "$applet" && "$applet" != busybox && "$applet" != */* ]] || continue
    ln -sf busybox "$tmp/bin/$applet"
    n=$((n + 1))
done < <("$busybox" --list)
((n > 100)) || { echo "build-busybox-rootfs: '$busybox --list' gave only $n applets" >&2; exit 1; }

# A script without the execute bit: running it must fail with 126.
printf '#!/bin/sh\necho hi\n' >"$tmp/bin/not-executable"
chmod 0644 "$tmp/bin/not-executable"

cat >"$tmp/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
alice:x:1000:1000:alice:/home/alice:/bin/sh
bob:x:1001:1001::/home/bob:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat >"$tmp/etc/group" <<'EOF'
root:x:0:
staff:x:50:alice
alice:x:1000:
bob:x:1001:
nogroup:x:65534:
EOF
echo rundle-busybox >"$tmp/etc/hostname"
version=$("$busybox" 2>/dev/null | head -n1 | sed -n 's/^BusyBox \(v[^ ]*\).*/\1/p') || true
cat >"$tmp/etc/os-release" <<EOF
NAME="Rundle busybox fixture"
ID=rundle-busybox
PRETTY_NAME="Rundle busybox fixture (BusyBox ${version:-unknown})"
VERSION_ID="${version#v}"
EOF
chmod 0644 "$tmp/etc/passwd" "$tmp/etc/group" "$tmp/etc/hostname" "$tmp/etc/os-release"

# Into place: move any old tree aside, rename the new one in, then delete the old one.
if [[ -e "$dest" || -L "$dest" ]]; then
    old=$(mktemp -d "$parent/.$(basename "$dest").old.XXXXXX")
    mv -- "$dest" "$old/"
fi
mv -- "$tmp" "$dest"
tmp=""
touch "$dest"   # newer than the script and busybox: up to date until one of them changes
echo "build-busybox-rootfs: $n applets" >&2
echo "$dest"
