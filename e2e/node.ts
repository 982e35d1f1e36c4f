import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { TOOLCHAIN_DIR, teardownOnInterrupt } from "./harness";

/**
 * A real single-node Kubernetes for the end-to-end tests, run by the scripts
 * in e2e/node (etcd, kube-apiserver, controller-manager, scheduler, kubelet on
 * containerd + runc), all on 127.0.0.1.
 */
const NODE_DIR = path.join(__dirname, "node");
export const K8S_BIN = path.join(TOOLCHAIN_DIR, "k8s-bin");

export class RealNode {
    readonly stateDir: string;
    readonly kubeconfig: string;
    /** The context the node's admin kubeconfig names. */
    readonly context = "e2e";

    constructor() {
        const missing = ["kube-apiserver", "kubelet", "etcd", "kubectl"].filter(
            (b) => !fs.existsSync(path.join(K8S_BIN, b)),
        );
        if (missing.length > 0) {
            throw new Error(
                `The Kubernetes binaries are not built (missing ${missing.join(", ")} in ${K8S_BIN}). ` +
                    "Build them with: npm run e2e:toolchain",
            );
        }
        this.stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-node-"));
        this.kubeconfig = path.join(this.stateDir, "admin.kubeconfig");
    }

    private forgetTeardown: () => void = () => undefined;

    start(): void {
        this.forgetTeardown = teardownOnInterrupt(() => this.stop());
        if (!fs.existsSync(path.join(TOOLCHAIN_DIR, "images", "busybox-1.37.0.oci.tar"))) {
            this.run("../kind-node-image/build-images.sh");
        }
        for (const step of ["gen-certs.sh", "start-node.sh"]) this.run(step, this.stateDir);
        // The controller-manager creates each namespace's default ServiceAccount; Pods need it.
        this.kubectl("wait", "--for=condition=Ready", "node", "--all", "--timeout=60s");
        for (let i = 0; i < 120 && !this.tryKubectl("get", "serviceaccount", "default"); i++) sleepMs(500);
    }

    stop(): void {
        this.forgetTeardown();
        this.run("stop-node.sh", this.stateDir);
        fs.rmSync(this.stateDir, { recursive: true, force: true });
    }

    kubectl(...args: string[]): string {
        return execFileSync(path.join(K8S_BIN, "kubectl"), ["--kubeconfig", this.kubeconfig, ...args], {
            encoding: "utf8",
            stdio: ["ignore", "pipe", "pipe"],
        });
    }

    private tryKubectl(...args: string[]): boolean {
        try {
            this.kubectl(...args);
            return true;
        } catch {
            return false;
        }
    }

    private run(script: string, ...args: string[]): void {
        execFileSync(path.join(NODE_DIR, script), args, { stdio: ["ignore", "pipe", "pipe"] });
    }
}

/**
 * Runs an exported command as a learner would paste it into a shell, with the built kubectl
 * on PATH; a streaming one (`logs -f`, `get -w`) is stopped after `seconds`. Returns its stdout.
 */
export function paste(
    command: string,
    seconds = 20,
    env: Record<string, string> = {},
    pathFirst: string[] = [],
): string {
    const PATH = [...pathFirst, K8S_BIN, process.env.PATH].join(path.delimiter);
    const run = spawnSync("sh", ["-c", command], {
        env: { ...process.env, ...env, PATH },
        encoding: "utf8",
        timeout: seconds * 1000,
    });
    return run.stdout;
}

function sleepMs(ms: number): void {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
