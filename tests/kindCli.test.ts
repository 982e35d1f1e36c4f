import * as assert from "assert";
import {
    createClusterArgs,
    deleteClusterArgs,
    explainKindFailure,
    getKubeconfigArgs,
    kubeContextName,
    parseClusterList,
    parseKindKubeconfig,
    renderKindConfig,
} from "../components/kindCli";

describe("kindCli (pure)", () => {
    it("builds kind's command lines", () => {
        assert.deepStrictEqual(createClusterArgs("lab-dev", "/tmp/c.yaml"), [
            "create",
            "cluster",
            "--name",
            "lab-dev",
            "--config",
            "/tmp/c.yaml",
            "--wait",
            "120s",
        ]);
        assert.deepStrictEqual(createClusterArgs("x", "/c", "kindest/node:v1.33.1").slice(6, 8), [
            "--image",
            "kindest/node:v1.33.1",
        ]);
        assert.deepStrictEqual(getKubeconfigArgs("x"), ["get", "kubeconfig", "--name", "x"]);
        assert.deepStrictEqual(deleteClusterArgs("x"), ["delete", "cluster", "--name", "x"]);
        assert.strictEqual(kubeContextName("lab-dev"), "kind-lab-dev");
    });

    it("reads `kind get clusters` output, empty or not", () => {
        assert.deepStrictEqual(parseClusterList("lab-a\nlab-b\n"), ["lab-a", "lab-b"]);
        assert.deepStrictEqual(parseClusterList(""), []);
    });

    it("reads the server and the inline certificates (base64 PEM) from kind's kubeconfig", () => {
        const b64 = (text: string) => Buffer.from(text).toString("base64");
        const kubeconfig = [
            "apiVersion: v1",
            "clusters:",
            "- cluster:",
            `    certificate-authority-data: ${b64("CA PEM")}`,
            "    server: https://127.0.0.1:40123",
            "  name: kind-lab-dev",
            "users:",
            "- name: kind-lab-dev",
            "  user:",
            `    client-certificate-data: ${b64("CERT PEM")}`,
            `    client-key-data: ${b64("KEY PEM")}`,
            "",
        ].join("\n");
        assert.deepStrictEqual(parseKindKubeconfig(kubeconfig), {
            server: "https://127.0.0.1:40123",
            ca: "CA PEM",
            cert: "CERT PEM",
            key: "KEY PEM",
        });
        assert.throws(() => parseKindKubeconfig("apiVersion: v1\n"), /kind's kubeconfig has no server/);
    });

    it("renders a kind config with a loopback API server and the requested workers", () => {
        const config = JSON.parse(renderKindConfig({ workerNodes: 2 }));
        assert.strictEqual(config.kind, "Cluster");
        assert.strictEqual(config.apiVersion, "kind.x-k8s.io/v1alpha4");
        assert.strictEqual(config.networking.apiServerAddress, "127.0.0.1");
        assert.deepStrictEqual(
            config.nodes.map((n: { role: string }) => n.role),
            ["control-plane", "worker", "worker"],
        );
        assert.strictEqual(renderKindConfig(), renderKindConfig({ workerNodes: 0 }), "stable text: quiet diffs");
    });

    describe("explainKindFailure", () => {
        const args = ["get", "clusters"];
        it("says what to install when kind is missing", () => {
            const message = explainKindFailure("kind", args, { code: "ENOENT", stderr: "" });
            assert.match(message, /kind CLI was not found: "kind" is not on PATH/);
            assert.match(message, /pulumi config set init-sidecar-lab:kindPath/);
        });
        it("says to make kind executable when it cannot be run", () => {
            assert.match(
                explainKindFailure("/opt/kind", args, { code: "EACCES", stderr: "" }),
                /chmod \+x \/opt\/kind/,
            );
        });
        it("says to start Docker when the daemon is down, quoting kind", () => {
            const stderr =
                "ERROR: failed to list clusters: Cannot connect to the Docker daemon at unix:///var/run/docker.sock";
            const message = explainKindFailure("kind", args, { exitCode: 1, stderr });
            assert.match(message, /start Docker/);
            assert.ok(message.endsWith(`kind said:\n${stderr}`));
        });
        it("says to install Docker when kind cannot find it", () => {
            const stderr = 'ERROR: failed to list clusters: exec: "docker": executable file not found in $PATH';
            assert.match(
                explainKindFailure("kind", args, { exitCode: 1, stderr }),
                /Install Docker Desktop or Docker Engine/,
            );
        });
        it("says how to get access when the Docker socket is not allowed", () => {
            const stderr = "permission denied while trying to connect to the Docker daemon socket";
            assert.match(explainKindFailure("kind", args, { exitCode: 1, stderr }), /docker group/);
        });
        it("says how to get a node image when kind cannot pull one, naming it without its digest", () => {
            const stderr =
                'Creating cluster "lab-dev" ...\n ✗ Ensuring node image (kindest/node:v1.37.0) 🖼\n' +
                'ERROR: failed to create cluster: failed to pull image "kindest/node:v1.37.0@sha256:a1ed56cf": ' +
                'command "docker pull kindest/node:v1.37.0@sha256:a1ed56cf" failed with error: exit status 1';
            const message = explainKindFailure("kind", ["create", "cluster", "--name", "lab-dev"], {
                exitCode: 1,
                stderr,
            });
            assert.match(message, /^kind could not pull its node image kindest\/node:v1\.37\.0: /);
            assert.match(message, /pulumi config set init-sidecar-lab:nodeImage <image>/);
            assert.match(message, /export LAB_KIND_NODE_IMAGE=<image>/);
            assert.ok(message.endsWith(`kind said:\n${stderr}`));
        });
        it("says to start a cluster whose node containers are stopped, naming its label", () => {
            const stderr =
                'ERROR: failed to get cluster internal kubeconfig: command "docker exec --privileged lab-dev-control-plane cat /etc/kubernetes/admin.conf" failed with error: exit status 1\n' +
                "Command Output: Error response from daemon: container 4f1c2e9a is not running";
            const message = explainKindFailure("kind", ["get", "kubeconfig", "--name", "lab-dev"], {
                exitCode: 1,
                stderr,
            });
            assert.match(message, /kind cluster "lab-dev" exists but its node containers are stopped/);
            assert.match(message, /docker start \$\(docker ps -aq --filter label=io\.x-k8s\.kind\.cluster=lab-dev\)/);
        });
        it("otherwise names the command, its exit code and kind's words", () => {
            const message = explainKindFailure("kind", ["create", "cluster"], { exitCode: 1, stderr: "ERROR: boom" });
            assert.strictEqual(message, "`kind create cluster` failed (exit code 1).\nkind said:\nERROR: boom");
        });
    });
});
