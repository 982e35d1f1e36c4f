import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LabProject, teardownOnInterrupt } from "./harness";
import { K8S_BIN, paste } from "./node";

/** The directory of the `kind` stand-in, which boots a real node for `kind create cluster`. */
export const STANDIN_DIR = path.join(__dirname, "kind-standin");

/**
 * The kind stand-in (e2e/kind-standin/kind) as a suite uses it: a private directory for its
 * clusters and the KUBECONFIG it merges their contexts into, projects and pasted commands that
 * find it first on PATH, and teardown of whatever a failed test left running.
 */
export class KindStandin {
    readonly root: string;
    /** For the engine and for pasted commands: where the stand-in keeps its clusters, and the kubeconfig kind merges. */
    readonly env: { LAB_KIND_STANDIN_STATE: string; KUBECONFIG: string };
    private readonly shellEnv: NodeJS.ProcessEnv;
    private readonly forgetTeardown: () => void;

    constructor(prefix: string) {
        this.root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
        this.env = {
            LAB_KIND_STANDIN_STATE: path.join(this.root, "clusters"),
            // kind merges the kind-<name> context here, so the exported commands work as pasted.
            KUBECONFIG: path.join(this.root, "kubeconfig"),
        };
        fs.mkdirSync(this.env.LAB_KIND_STANDIN_STATE);
        this.shellEnv = {
            ...process.env,
            ...this.env,
            PATH: [STANDIN_DIR, K8S_BIN, process.env.PATH].join(path.delimiter),
        };
        this.forgetTeardown = teardownOnInterrupt(() => this.dispose());
    }

    /** A private copy of the lab whose engine runs the stand-in as `kind`. */
    project(): LabProject {
        return new LabProject([STANDIN_DIR, K8S_BIN], this.env);
    }

    /** Runs the stand-in as a user runs kind; throws when it fails. */
    kind(...args: string[]): string {
        return execFileSync(path.join(STANDIN_DIR, "kind"), args, { env: this.shellEnv, encoding: "utf8" });
    }

    /** kubectl with this KUBECONFIG, the context named. */
    kubectl(context: string, ...args: string[]): string {
        return execFileSync(path.join(K8S_BIN, "kubectl"), ["--context", context, ...args], {
            env: this.shellEnv,
            encoding: "utf8",
            stdio: ["ignore", "pipe", "pipe"],
        });
    }

    /** An exported command, pasted into a shell that has this KUBECONFIG (see `paste`). */
    paste(command: string, seconds = 20): string {
        return paste(command, seconds, this.env, [STANDIN_DIR]);
    }

    /** Processes of this stand-in's nodes still running, as `pgrep -a` lists them ("" when none). */
    runningProcesses(): string {
        return spawnSync("pgrep", ["-a", "-f", this.env.LAB_KIND_STANDIN_STATE], { encoding: "utf8" }).stdout;
    }

    /** The clusters whose state directory is still there. */
    clusterDirs(): string[] {
        return fs.readdirSync(this.env.LAB_KIND_STANDIN_STATE);
    }

    /** Deletes the clusters a failed or interrupted test left running, then every file of this stand-in. */
    dispose(): void {
        this.forgetTeardown();
        this.deleteClusters();
        fs.rmSync(this.root, { recursive: true, force: true });
    }

    private deleteClusters(): void {
        for (const name of this.clusterDirs()) {
            spawnSync(path.join(STANDIN_DIR, "kind"), ["delete", "cluster", "--name", name], { env: this.shellEnv });
        }
    }
}
