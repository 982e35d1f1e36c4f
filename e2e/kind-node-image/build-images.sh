#!/bin/bash
# Build the two local OCI image archives: busybox:1.37.0 (Debian busybox-static) and pause:3.10 (tiny Go program).
NODE_DIR=$(cd "$(dirname "$0")" && pwd)
set -euo pipefail
N=$NODE_DIR; T=${LAB_TOOLCHAIN_DIR:-$HOME/.cache/init-sidecar-lab/toolchain}
. "$N/../toolchain/versions.env"   # BUSYBOX_IMAGE, PAUSE_IMAGE
OUT=${1:-$T/images}; mkdir -p $OUT
W=$(mktemp -d)
# busybox
mkdir -p $W/bb/bin $W/bb/tmp $W/bb/etc; chmod 1777 $W/bb/tmp
cp /bin/busybox $W/bb/bin/busybox
for a in sh sleep echo tail touch cat ls id date env ps mkdir rm true false wc grep; do ln -s busybox $W/bb/bin/$a; done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' > $W/bb/etc/passwd
printf 'root:x:0:\nnogroup:x:65534:\n' > $W/bb/etc/group
$N/make-oci-image.sh $BUSYBOX_IMAGE $W/bb $OUT/busybox-${BUSYBOX_IMAGE##*:}.oci.tar '{"Cmd":["sh"],"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]}'
# pause
mkdir -p $W/pause $W/pausesrc; cp $N/pause/main.go $W/pausesrc/
(cd $W/pausesrc && printf 'module pause\n\ngo 1.26.0\n' > go.mod && CGO_ENABLED=0 GOCACHE=$T/gocache nice -n 19 go build -trimpath -ldflags '-s -w' -o $W/pause/pause .)
$N/make-oci-image.sh $PAUSE_IMAGE $W/pause $OUT/pause-${PAUSE_IMAGE##*:}.oci.tar '{"Entrypoint":["/pause"],"User":"65535:65535"}'
rm -rf $W; ls -la $OUT
