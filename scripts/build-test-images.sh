#!/usr/bin/env bash
# Builds the images the runtime tests (test/runtime) run, from files on this machine: no registry is reachable.
#
#   local/busybox:test   static busybox with every applet linked in /bin, /tmp mode 1777, /etc/passwd with root
#                        and `app` (10001), /etc/group, /www/index.html for httpd, /mnt, and the probe helper
#                        (test/runtime/image/probe.c, gcc -static) at /usr/local/bin/probe plus a setuid-root
#                        copy at /usr/local/bin/suid-probe (root:root, mode 4755).
#
# Idempotent: the image carries a label with the sha256 of its inputs; when the tagged image already has that
# label nothing is rebuilt. The tar is reproducible (sorted, mtime 0, numeric root owner).
# Needs: docker (engine answering), a static busybox (Debian: busybox-static), gcc and libc6-dev. When one is missing
# it says so in one line on stderr, naming the Debian package, and exits 1 (the jest global setup shows that line).
# BUSYBOX and CC choose other binaries; TEST_IMAGE another tag.
set -euo pipefail

IMAGE="${TEST_IMAGE:-local/busybox:test}"
LABEL="hardened-docker.test.inputs"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROBE_SRC="$ROOT/test/runtime/image/probe.c"

BUSYBOX="${BUSYBOX:-$(command -v busybox || true)}"
[ -n "$BUSYBOX" ] || { echo "build-test-images: busybox not found (apt-get install busybox-static)" >&2; exit 1; }
BUSYBOX="$(readlink -f "$BUSYBOX")"
if ! "$BUSYBOX" --list >/dev/null 2>&1; then
  echo "build-test-images: $BUSYBOX is not a busybox binary (apt-get install busybox-static)" >&2; exit 1
fi
if command -v file >/dev/null 2>&1 && ! file -L "$BUSYBOX" | grep -q 'statically linked'; then
  echo "build-test-images: $BUSYBOX is not statically linked (apt-get install busybox-static)" >&2; exit 1
fi

CC="${CC:-gcc}"
command -v docker >/dev/null 2>&1 || { echo "build-test-images: docker CLI not found (apt-get install docker.io)" >&2; exit 1; }

inputs_hash="$( { sha256sum "$BUSYBOX" "$PROBE_SRC" "${BASH_SOURCE[0]}" | cut -d' ' -f1; } | sha256sum | cut -c1-32)"
current="$(docker image inspect -f "{{index .Config.Labels \"$LABEL\"}}" "$IMAGE" 2>/dev/null || true)"
if [ "$current" = "$inputs_hash" ]; then
  echo "build-test-images: $IMAGE is up to date ($inputs_hash)"
  exit 0
fi

command -v "$CC" >/dev/null 2>&1 || { echo "build-test-images: C compiler $CC not found (apt-get install gcc)" >&2; exit 1; }
libc_a="$("$CC" -print-file-name=libc.a 2>/dev/null || true)"
[ -f "$libc_a" ] || { echo "build-test-images: static C library libc.a not found (apt-get install libc6-dev)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
r="$work/rootfs"
mkdir -p "$r/bin" "$r/etc" "$r/tmp" "$r/mnt" "$r/www" "$r/usr/local/bin" "$r/proc" "$r/sys" "$r/dev" "$r/root"
chmod 1777 "$r/tmp"
chmod 0700 "$r/root"

cp "$BUSYBOX" "$r/bin/busybox"
for applet in $("$BUSYBOX" --list | sort); do
  [ "$applet" = busybox ] || ln -s busybox "$r/bin/$applet"
done

"$CC" -static -O2 -Wall -o "$r/usr/local/bin/probe" "$PROBE_SRC"
cp "$r/usr/local/bin/probe" "$r/usr/local/bin/suid-probe"
chmod 0755 "$r/usr/local/bin/probe"
chmod 4755 "$r/usr/local/bin/suid-probe"

cat >"$r/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
app:x:10001:10001:app:/tmp:/bin/sh
PASSWD
cat >"$r/etc/group" <<'GROUP'
root:x:0:
app:x:10001:
GROUP
echo 'hardened-docker runtime test' >"$r/www/index.html"
chmod 0644 "$r/etc/passwd" "$r/etc/group" "$r/www/index.html"

tar -C "$r" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf "$work/rootfs.tar" .
docker import \
  --change "LABEL $LABEL=$inputs_hash" \
  --change 'ENV PATH=/usr/local/bin:/bin' \
  --change 'CMD ["/bin/sh"]' \
  "$work/rootfs.tar" "$IMAGE" >/dev/null
echo "build-test-images: built $IMAGE ($inputs_hash)"
