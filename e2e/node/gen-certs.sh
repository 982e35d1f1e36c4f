#!/bin/bash
# gen-certs.sh <state-dir> [node-name]   -> <state-dir>/pki/* (write-configs.sh writes the kubeconfigs that use them)
set -euo pipefail
S=${1:-/tmp/k8s-node}; NODE=${2:-$(hostname)}; P=$S/pki; mkdir -p $P; cd $P
DAYS=30
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days $DAYS -subj "/CN=e2e-ca" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" 2>/dev/null
# name CN O SAN(optional) usage(client|server|both)
mk() {
  local name=$1 cn=$2 o=$3 san=$4 usage=$5 subj="/CN=$2"
  [ -n "$o" ] && subj="/O=$o/CN=$cn"
  openssl req -newkey rsa:2048 -nodes -keyout $name.key -out $name.csr -subj "$subj" 2>/dev/null
  { echo "basicConstraints=CA:FALSE"; echo "keyUsage=critical,digitalSignature,keyEncipherment"
    case $usage in client) echo "extendedKeyUsage=clientAuth";; server) echo "extendedKeyUsage=serverAuth";; both) echo "extendedKeyUsage=serverAuth,clientAuth";; esac
    [ -n "$san" ] && echo "subjectAltName=$san"; } > $name.ext
  openssl x509 -req -in $name.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out $name.crt -days $DAYS -extfile $name.ext 2>/dev/null
  rm -f $name.csr $name.ext
}
mk apiserver kube-apiserver "" "IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local" server
mk apiserver-kubelet-client kube-apiserver-kubelet-client system:masters "" client
mk apiserver-etcd-client kube-apiserver-etcd-client "" "" client
mk etcd-server etcd "" "IP:127.0.0.1,DNS:localhost" both
mk admin admin system:masters "" client
mk controller-manager system:kube-controller-manager "" "" client
mk scheduler system:kube-scheduler "" "" client
mk kubelet-client system:node:$NODE system:nodes "" client
mk kubelet-server system:node:$NODE system:nodes "IP:127.0.0.1,DNS:$NODE,DNS:localhost" server
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out sa.key 2>/dev/null
openssl pkey -in sa.key -pubout -out sa.pub
chmod 600 *.key
echo "certs in $P"
