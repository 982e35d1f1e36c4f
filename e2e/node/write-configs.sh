#!/bin/bash
# write-configs.sh <state-dir> : kubeconfigs, containerd config.toml, CNI conflist, kubelet config
# Ports, bridge, subnet and cgroup root come from the node's slot (slots.sh), so start-node.sh runs
# this once it has taken one (<state-dir>/slot).
set -euo pipefail
S=${1:-/tmp/k8s-node}; P=$S/pki
. "$(dirname "$0")/../toolchain/versions.env"   # PAUSE_IMAGE
. "$(dirname "$0")/slots.sh"
slot_vars "$(cat $S/slot)"
mkdir -p $S/containerd/root $S/containerd/state $S/containerd/runc $S/cni/net.d $S/cni/ipam $S/kubelet $S/logs $S/pids $S/etcd
kc() { # kubeconfig name cert
  cat > $S/$1.kubeconfig <<EOK
apiVersion: v1
kind: Config
clusters:
- name: e2e
  cluster: {certificate-authority: $P/ca.crt, server: "https://127.0.0.1:$APISERVER_PORT"}
users:
- name: $2
  user: {client-certificate: $P/$2.crt, client-key: $P/$2.key}
contexts:
- name: e2e
  context: {cluster: e2e, user: $2}
current-context: e2e
EOK
}
kc admin admin; kc controller-manager controller-manager; kc scheduler scheduler; kc kubelet kubelet-client
cat > $S/containerd/config.toml <<EOC
version = 2
root = "$S/containerd/root"
state = "$S/containerd/state"
disabled_plugins = ["io.containerd.internal.v1.opt", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper"]
[grpc]
  address = "$S/containerd/containerd.sock"
[ttrpc]
  address = "$S/containerd/containerd.sock.ttrpc"
[debug]
  address = "$S/containerd/debug.sock"
  level = "info"
[metrics]
  address = ""
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  enable_selinux = false
  disable_apparmor = true
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    discard_unpacked_layers = false
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        BinaryName = "/usr/sbin/runc"
        Root = "$S/containerd/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$S/cni/net.d"
    max_conf_num = 1
EOC
if [ "${CONTAINERD2:-0}" = 1 ]; then   # containerd 2.x (built by build-extras.sh containerd): config version 3 layout
cat > $S/containerd/config.toml <<EOC
version = 3
root = "$S/containerd/root"
state = "$S/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.erofs", "io.containerd.snapshotter.v1.blockfile"]
[grpc]
  address = "$S/containerd/containerd.sock"
[ttrpc]
  address = "$S/containerd/containerd.sock.ttrpc"
[debug]
  address = "$S/containerd/debug.sock"
  level = "info"
[plugins."io.containerd.cri.v1.images"]
  snapshotter = "overlayfs"
  [plugins."io.containerd.cri.v1.images".pinned_images]
    sandbox = "$PAUSE_IMAGE"
[plugins."io.containerd.cri.v1.runtime"]
  enable_selinux = false
  disable_apparmor = true
  restrict_oom_score_adj = true
  [plugins."io.containerd.cri.v1.runtime".containerd]
    default_runtime_name = "runc"
    [plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc.options]
        SystemdCgroup = false
        BinaryName = "/usr/sbin/runc"
        Root = "$S/containerd/runc"
  [plugins."io.containerd.cri.v1.runtime".cni]
    bin_dirs = ["/usr/lib/cni"]
    conf_dir = "$S/cni/net.d"
    max_conf_num = 1
EOC
fi
cat > $S/cni/net.d/10-e2e-bridge.conflist <<EOC
{
  "cniVersion": "0.4.0",
  "name": "$CNI_NET",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$BRIDGE",
      "isGateway": false,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{"subnet": "$SUBNET"}]],
        "dataDir": "$S/cni/ipam"
      }
    }
  ]
}
EOC
cat > $S/kubelet/config.yaml <<EOC
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: 127.0.0.1
port: $KUBELET_PORT
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $KUBELET_HEALTHZ_PORT
failSwapOn: false
failCgroupV1: false
cgroupDriver: cgroupfs
cgroupRoot: $CGROUP_ROOT
containerRuntimeEndpoint: unix://$S/containerd/containerd.sock
imageServiceEndpoint: unix://$S/containerd/containerd.sock
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $S/pki/ca.crt}
authorization:
  mode: Webhook
tlsCertFile: $S/pki/kubelet-server.crt
tlsPrivateKeyFile: $S/pki/kubelet-server.key
clusterDomain: cluster.local
clusterDNS: [10.96.0.10]
resolvConf: /etc/resolv.conf
rotateCertificates: false
serverTLSBootstrap: false
protectKernelDefaults: false
localStorageCapacityIsolation: false
evictionHard: {memory.available: "100Mi", nodefs.available: "2%", imagefs.available: "2%"}
imageGCHighThresholdPercent: 99
imageGCLowThresholdPercent: 98
maxPods: 110
podLogsDir: $S/pod-logs
volumePluginDir: $S/kubelet/volume-plugins
EOC
chmod 700 $S/etcd
echo "configs written under $S"
