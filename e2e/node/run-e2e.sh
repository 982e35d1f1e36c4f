#!/bin/bash
# run-e2e.sh: fresh state dir -> certs/configs/images -> start node -> init-container pod + native sidecar pod checks -> teardown.
NODE_DIR=$(cd "$(dirname "$0")" && pwd)
set -uo pipefail
S=${S:-/tmp/k8s-node}; N=$NODE_DIR; B=${LAB_TOOLCHAIN_DIR:-$HOME/.cache/init-sidecar-lab/toolchain}/k8s-bin
K="$B/kubectl --kubeconfig $S/admin.kubeconfig"
fail=0; pass=0; ok() { echo "PASS: $*"; pass=$((pass+1)); }; ko() { echo "FAIL: $*"; fail=$((fail+1)); }
T0=$(date +%s)
rm -rf $S; mkdir -p $S
[ -f ${LAB_TOOLCHAIN_DIR:-$HOME/.cache/init-sidecar-lab/toolchain}/images/busybox-1.37.0.oci.tar ] || $N/../kind-node-image/build-images.sh
$N/gen-certs.sh $S && $N/start-node.sh $S || { ko "node start"; $N/stop-node.sh $S; exit 1; }
T1=$(date +%s)
# wait for the default ServiceAccount (created by controller-manager) before creating pods
for i in $(seq 1 60); do $K get sa default >/dev/null 2>&1 && break; sleep 0.5; done
# Pod Security Admission: enforce "restricted" on the namespace, the test pods must be admitted
$K label ns default pod-security.kubernetes.io/enforce=restricted pod-security.kubernetes.io/enforce-version=latest --overwrite
$K apply -f $N/pod-init.yaml -f $N/pod-sidecar.yaml && ok "pods admitted under PSA restricted" || ko "PSA restricted admission"
$K wait --for=condition=Ready pod/init-demo --timeout=90s && ok "init-demo Ready" || ko "init-demo Ready"
$K wait --for=jsonpath='{.status.phase}'=Succeeded pod/sidecar-demo --timeout=90s && ok "sidecar-demo Succeeded" || ko "sidecar-demo Succeeded"
T2=$(date +%s)
$K logs init-demo -c init | grep -q init-done && ok "logs init" || ko "logs init"
$K logs init-demo -c main | grep -q main-start && ok "logs main" || ko "logs main"
fin=$($K get pod init-demo -o jsonpath='{.status.initContainerStatuses[0].state.terminated.finishedAt}')
st=$($K get pod init-demo -o jsonpath='{.status.containerStatuses[0].state.running.startedAt}')
[[ -n "$fin" && "$(date -d $fin +%s)" -le "$(date -d $st +%s)" ]] && ok "init finished ($fin) before main started ($st)" || ko "ordering fin=$fin st=$st"
$K logs sidecar-demo -c sidecar | grep -q line-3 && ok "sidecar saw main's output" || ko "sidecar logs"
echo "RSS (MB):"; for f in $S/pids/*.pid; do echo "  $(basename $f .pid) $(( $(awk '/VmRSS/{print $2}' /proc/$(cat $f)/status) / 1024 ))"; done
echo "timings: node start $((T1-T0)) s, pods done $((T2-T1)) s"
$N/stop-node.sh $S
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
