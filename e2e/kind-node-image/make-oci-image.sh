#!/bin/bash
# make-oci-image.sh <image-name> <rootfs-dir> <out.tar> <config-json-fragment>
# Builds a single-layer OCI image archive (oci-layout + index.json with io.containerd.image.name) that
# `ctr -n k8s.io images import` accepts. Example fragment: '{"Cmd":["sh"],"Env":["PATH=/bin"]}'
set -euo pipefail
NAME=$1; ROOT=$2; OUT=$3; CFG=${4:-'{}'}
W=$(mktemp -d); mkdir -p $W/blobs/sha256
tar --sort=name --mtime='2024-01-01 00:00:00Z' --owner=0 --group=0 --numeric-owner -C "$ROOT" -cf $W/layer.tar .
DIFFID=$(sha256sum $W/layer.tar | cut -d' ' -f1)
gzip -n -9 < $W/layer.tar > $W/layer.tgz
LDIG=$(sha256sum $W/layer.tgz | cut -d' ' -f1); LSIZE=$(stat -c %s $W/layer.tgz); mv $W/layer.tgz $W/blobs/sha256/$LDIG
jq -cn --argjson c "$CFG" --arg d "sha256:$DIFFID" \
  '{architecture:"amd64",os:"linux",created:"2024-01-01T00:00:00Z",config:$c,rootfs:{type:"layers",diff_ids:[$d]},history:[{created:"2024-01-01T00:00:00Z",created_by:"make-oci-image.sh"}]}' > $W/config.json
CDIG=$(sha256sum $W/config.json | cut -d' ' -f1); CSIZE=$(stat -c %s $W/config.json); mv $W/config.json $W/blobs/sha256/$CDIG
jq -cn --arg cd "sha256:$CDIG" --argjson cs $CSIZE --arg ld "sha256:$LDIG" --argjson ls $LSIZE \
  '{schemaVersion:2,mediaType:"application/vnd.oci.image.manifest.v1+json",config:{mediaType:"application/vnd.oci.image.config.v1+json",digest:$cd,size:$cs},layers:[{mediaType:"application/vnd.oci.image.layer.v1.tar+gzip",digest:$ld,size:$ls}]}' > $W/manifest.json
MDIG=$(sha256sum $W/manifest.json | cut -d' ' -f1); MSIZE=$(stat -c %s $W/manifest.json); mv $W/manifest.json $W/blobs/sha256/$MDIG
echo '{"imageLayoutVersion":"1.0.0"}' > $W/oci-layout
jq -cn --arg md "sha256:$MDIG" --argjson ms $MSIZE --arg n "$NAME" --arg t "${NAME##*:}" \
  '{schemaVersion:2,mediaType:"application/vnd.oci.image.index.v1+json",manifests:[{mediaType:"application/vnd.oci.image.manifest.v1+json",digest:$md,size:$ms,platform:{architecture:"amd64",os:"linux"},annotations:{"io.containerd.image.name":$n,"org.opencontainers.image.ref.name":$t}}]}' > $W/index.json
rm $W/layer.tar
tar --sort=name --owner=0 --group=0 --numeric-owner -C $W -cf "$OUT" oci-layout index.json blobs
rm -rf $W
echo "built $OUT ($NAME) manifest sha256:$MDIG"
