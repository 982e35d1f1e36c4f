// labnet: the default CNI of our kind node image (kind's own, kindnet, is not served by the Go
// module proxy). One instance per node (a DaemonSet on the host network). Every few seconds it reads
// the Nodes from the API server and
//   - writes /etc/cni/net.d/10-labnet.conflist for this node's podCIDR (Debian's ptp + host-local
//   - portmap plugins), which is what turns the node Ready;
//   - routes every other node's podCIDR via that node's InternalIP (all nodes share one Docker
//     network, so a plain route is enough);
//   - masquerades traffic from this node's Pods to anything outside the cluster's Pod subnet.
//
// Standard library only: it talks to the API server with the Pod's service-account token, and runs
// the node's own `ip` and `iptables` (chrooted into HOST_ROOT, the node's / mounted into the Pod) for
// routes and NAT. So its image is this one binary: a node is Ready only once labnet runs, and a
// Debian root filesystem in the image took the node's containerd 7-8 s to unpack on first start.
package main

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

const saDir = "/var/run/secrets/kubernetes.io/serviceaccount"

type nodeList struct {
	Items []struct {
		Metadata struct {
			Name string `json:"name"`
		} `json:"metadata"`
		Spec struct {
			PodCIDR string `json:"podCIDR"`
		} `json:"spec"`
		Status struct {
			Addresses []struct {
				Type    string `json:"type"`
				Address string `json:"address"`
			} `json:"addresses"`
		} `json:"status"`
	} `json:"items"`
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// apiServer is CONTROL_PLANE_ENDPOINT (kind patches it into this manifest, so the CNI does not wait
// for kube-proxy), else the in-cluster service address.
func apiServer() string {
	if ep := os.Getenv("CONTROL_PLANE_ENDPOINT"); ep != "" {
		return "https://" + ep
	}
	return "https://" + net.JoinHostPort(os.Getenv("KUBERNETES_SERVICE_HOST"), os.Getenv("KUBERNETES_SERVICE_PORT"))
}

func client() (*http.Client, error) {
	ca, err := os.ReadFile(filepath.Join(saDir, "ca.crt"))
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(ca) {
		return nil, fmt.Errorf("no certificate in %s/ca.crt", saDir)
	}
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}, nil
}

func listNodes(c *http.Client, server string) (*nodeList, error) {
	token, err := os.ReadFile(filepath.Join(saDir, "token"))
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequest(http.MethodGet, server+"/api/v1/nodes", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(token)))
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /api/v1/nodes: %s", resp.Status)
	}
	var nodes nodeList
	return &nodes, json.NewDecoder(resp.Body).Decode(&nodes)
}

// conflist is the CNI configuration for one node's Pod range.
func conflist(podCIDR string) []byte {
	conf := map[string]any{
		"cniVersion": "0.4.0",
		"name":       "labnet",
		"plugins": []map[string]any{
			{
				"type": "ptp",
				"ipam": map[string]any{
					"type":   "host-local",
					"ranges": [][]map[string]string{{{"subnet": podCIDR}}},
					"routes": []map[string]string{{"dst": "0.0.0.0/0"}},
				},
			},
			{"type": "portmap", "capabilities": map[string]bool{"portMappings": true}},
		},
	}
	out, _ := json.MarshalIndent(conf, "", "  ")
	return append(out, '\n')
}

// writeIfChanged writes atomically, so the runtime never reads half a file.
func writeIfChanged(path string, data []byte) (bool, error) {
	if old, err := os.ReadFile(path); err == nil && string(old) == string(data) {
		return false, nil
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return false, err
	}
	return true, os.Rename(tmp, path)
}

// hostPath is where the node's PATH finds a command, as seen inside hostRoot. Lstat, not Stat: the
// node's /usr/sbin/iptables is a symlink through /etc/alternatives, resolvable only after the chroot.
func hostPath(hostRoot, name string) (string, error) {
	for _, dir := range []string{"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"} {
		if _, err := os.Lstat(filepath.Join(hostRoot, dir, name)); err == nil {
			return filepath.Join(dir, name), nil
		}
	}
	return "", fmt.Errorf("%s: not found on the node (under %s)", name, hostRoot)
}

// run runs args[0] from the node's root filesystem (its image holds nothing else to run).
func run(hostRoot string, args ...string) error {
	path, err := hostPath(hostRoot, args[0])
	if err != nil {
		return err
	}
	cmd := &exec.Cmd{Path: path, Args: args, Dir: "/", SysProcAttr: &syscall.SysProcAttr{Chroot: hostRoot}}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}

func internalIP(addrs []struct {
	Type    string `json:"type"`
	Address string `json:"address"`
}) string {
	for _, a := range addrs {
		if a.Type == "InternalIP" && net.ParseIP(a.Address).To4() != nil {
			return a.Address
		}
	}
	return ""
}

func sync(nodes *nodeList, self, podSubnet, confPath, hostRoot string, masqueraded map[string]bool) error {
	for _, n := range nodes.Items {
		if n.Spec.PodCIDR == "" {
			continue
		}
		if n.Metadata.Name == self {
			changed, err := writeIfChanged(confPath, conflist(n.Spec.PodCIDR))
			if err != nil {
				return err
			}
			if changed {
				log.Printf("wrote %s for podCIDR %s", confPath, n.Spec.PodCIDR)
			}
			if podSubnet != "" && !masqueraded[n.Spec.PodCIDR] {
				rule := []string{"POSTROUTING", "-t", "nat", "-s", n.Spec.PodCIDR, "!", "-d", podSubnet, "-m", "comment", "--comment", "labnet", "-j", "MASQUERADE"}
				check := append([]string{"iptables", "-C"}, rule...)
				if run(hostRoot, check...) != nil {
					if err := run(hostRoot, append([]string{"iptables", "-A"}, rule...)...); err != nil {
						return err
					}
					log.Printf("masquerading %s to outside %s", n.Spec.PodCIDR, podSubnet)
				}
				masqueraded[n.Spec.PodCIDR] = true
			}
			continue
		}
		if ip := internalIP(n.Status.Addresses); ip != "" {
			if err := run(hostRoot, "ip", "route", "replace", n.Spec.PodCIDR, "via", ip); err != nil {
				return err
			}
		}
	}
	return nil
}

func main() {
	self := os.Getenv("NODE_NAME")
	if self == "" {
		log.Fatal("NODE_NAME is not set: set it from the Pod's spec.nodeName (downward API)")
	}
	hostRoot := os.Getenv("HOST_ROOT")
	if hostRoot == "" {
		log.Fatal("HOST_ROOT is not set: mount the node's / into the Pod (hostPath) and name the mount point, e.g. /host")
	}
	podSubnet := os.Getenv("POD_SUBNET")
	confPath := filepath.Join(env("CNI_CONF_DIR", "/etc/cni/net.d"), "10-labnet.conflist")
	interval, err := time.ParseDuration(env("RESYNC_INTERVAL", "2s"))
	if err != nil {
		log.Fatalf("RESYNC_INTERVAL=%q is not a duration (e.g. 5s): %v", os.Getenv("RESYNC_INTERVAL"), err)
	}
	c, err := client()
	if err != nil {
		log.Fatalf("service account: %v", err)
	}
	server := apiServer()
	log.Printf("labnet on node %s, API server %s, cluster Pod subnet %q", self, server, podSubnet)
	masqueraded := map[string]bool{}
	for {
		nodes, err := listNodes(c, server)
		if err == nil {
			err = sync(nodes, self, podSubnet, confPath, hostRoot, masqueraded)
		}
		if err != nil {
			log.Printf("sync: %v (retrying in %s)", err, interval)
		}
		time.Sleep(interval)
	}
}
