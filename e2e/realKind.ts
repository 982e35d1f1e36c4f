import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { createClusterArgs, renderKindConfig } from "../components/kindCli";
import { LabProject, TOOLCHAIN_DIR, teardownOnInterrupt } from "./harness";

/**
 * Real kind on the host's real Docker, as the suites and the bench use it: a private KUBECONFIG
 * per suite (kind writes and removes its contexts there, never in ~/.kube/config), cluster names
 * unique to this run, and teardown of this run's clusters after the suite and on Ctrl-C/SIGTERM.
 */

/** The label kind puts on every node container of a cluster, with the cluster's name as its value. */
export const KIND_CLUSTER_LABEL = "io.x-k8s.kind.cluster";

/**
 * Part of every cluster (and stack) name this run makes: "e2e" and a time stamp, so two runs never
 * share a name and what an interrupted run left is easy to find (`kind get clusters | grep e2e`).
 */
export const RUN_ID = `e2e${Date.now().toString(36).slice(-5)}`;

/** The toolchain's build of `name` when it has one, else `name` as PATH finds it. */
export function tool(name: string): string {
    for (const dir of ["bin", "k8s-bin"]) {
        const file = path.join(TOOLCHAIN_DIR, dir, name);
        if (fs.existsSync(file)) return file;
    }
    return name;
}

/** The toolchain's directories (pulumi and its plugins, kind, kubectl), first on every PATH the suites set. */
function toolDirs(): string[] {
    const dirs = ["kind", "kubectl"].map(tool).filter(path.isAbsolute).map(path.dirname);
    return [...new Set([path.join(TOOLCHAIN_DIR, "bin"), ...dirs])];
}

/**
 * The node image the suites create clusters from: $LAB_KIND_NODE_IMAGE when set (the toolchain's
 * local image, on hosts with no registry), else "" for kind's own default, pulled as usual.
 */
export function nodeImage(): string {
    return process.env.LAB_KIND_NODE_IMAGE ?? "";
}

export interface Run {
    status: number | null;
    stdout: string;
    stderr: string;
}

/** What a cluster left in Docker and in the kubeconfig, by the cluster's label and name. */
export interface Leftovers {
    containers: string[];
    volumes: string[];
    networks: string[];
    contexts: string[];
}

export class RealKind {
    readonly root: string;
    /** For the engine and for pasted commands: the suite's own kubeconfig, the toolchain first on PATH. */
    readonly env: { KUBECONFIG: string; PATH: string; LAB_KIND_NODE_IMAGE?: string };
    private readonly forgetTeardown: () => void;
    private disposed = false;
    /** The names `name()` gave out: a cluster whose name holds one is this suite's to delete. */
    private readonly names = new Set<string>();

    constructor(prefix: string) {
        this.root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
        this.env = {
            KUBECONFIG: path.join(this.root, "kubeconfig"),
            PATH: [...toolDirs(), process.env.PATH ?? ""].join(path.delimiter),
            ...(nodeImage() ? { LAB_KIND_NODE_IMAGE: nodeImage() } : {}),
        };
        this.forgetTeardown = teardownOnInterrupt(() => this.dispose());
    }

    /** Fails, saying what to do, when no Docker engine answers (checked when a suite first needs it). */
    checkDocker(): void {
        const docker = this.run("docker", "info", "--format", "{{.ServerVersion}}");
        if (docker.status !== 0 || docker.stdout.trim() === "") {
            throw new Error(
                `The e2e suites need a running Docker engine, and \`docker info\` failed: ${docker.stderr.trim()}\n` +
                    "Start Docker, or install and start the toolchain's: npm run e2e:toolchain",
            );
        }
    }

    /** `base` made unique to this run, e.g. kind-e2e1a2b3. */
    name(base: string): string {
        const name = `${base}-${RUN_ID}`;
        this.names.add(name);
        return name;
    }

    /** A private copy of the lab whose engine runs real kind, writing contexts into this suite's KUBECONFIG. */
    project(extraEnv: Record<string, string> = {}, pulumiRoot?: string): LabProject {
        this.checkDocker();
        return new LabProject(toolDirs(), { ...this.env, ...extraEnv }, pulumiRoot);
    }

    /** Runs a command with this suite's environment; never throws. */
    run(command: string, ...args: string[]): Run {
        const run = spawnSync(command === "kind" || command === "kubectl" ? tool(command) : command, args, {
            env: { ...process.env, ...this.env },
            encoding: "utf8",
            timeout: 600_000,
        });
        return { status: run.status, stdout: run.stdout ?? "", stderr: `${run.stderr ?? ""}${run.error ?? ""}` };
    }

    /** Runs real kind as a user would; throws with kind's stderr when it fails. */
    kind(...args: string[]): string {
        return this.checked("kind", args);
    }

    /** kubectl with this suite's KUBECONFIG, the context named. */
    kubectl(context: string, ...args: string[]): string {
        return this.checked("kubectl", ["--context", context, ...args]);
    }

    docker(...args: string[]): string {
        return this.checked("docker", args);
    }

    /** The clusters `kind get clusters` lists. */
    clusters(): string[] {
        return this.kind("get", "clusters")
            .split("\n")
            .filter((l) => l !== "");
    }

    /**
     * An exported command, pasted into a shell that has this suite's KUBECONFIG and PATH; a streaming
     * one (`logs -f`, `get -w`) is stopped after `seconds`. Returns its stdout.
     */
    paste(command: string, seconds = 20): string {
        return spawnSync("sh", ["-c", command], {
            env: { ...process.env, ...this.env },
            encoding: "utf8",
            timeout: seconds * 1000,
        }).stdout;
    }

    /** The cluster's node containers (id per name), by kind's label. */
    nodes(cluster: string): Map<string, string> {
        const lines = this.docker(
            "ps",
            "-a",
            "--filter",
            `label=${KIND_CLUSTER_LABEL}=${cluster}`,
            "--format",
            "{{.Names}} {{.ID}}",
        );
        return new Map(
            lines
                .split("\n")
                .filter((l) => l !== "")
                .map((l) => l.split(" ") as [string, string]),
        );
    }

    /** The Docker volumes the cluster's node containers mount (kind gives each node an anonymous /var). */
    volumesOf(cluster: string): string[] {
        return [...this.nodes(cluster).keys()].flatMap((node) =>
            this.docker(
                "inspect",
                "--format",
                '{{range .Mounts}}{{if eq .Type "volume"}}{{.Name}} {{end}}{{end}}',
                node,
            )
                .trim()
                .split(" ")
                .filter((v) => v !== ""),
        );
    }

    /**
     * What is left of a cluster: containers and networks carrying its label, any of `volumes` (as
     * `volumesOf` listed them while it ran) still in Docker, and its `kind-<name>` entries in KUBECONFIG.
     */
    leftovers(cluster: string, volumes: string[]): Leftovers {
        const label = `label=${KIND_CLUSTER_LABEL}=${cluster}`;
        const lines = (text: string) => text.split("\n").filter((l) => l !== "");
        const allVolumes = new Set(lines(this.docker("volume", "ls", "-q")));
        const kubeconfig = fs.existsSync(this.env.KUBECONFIG) ? fs.readFileSync(this.env.KUBECONFIG, "utf8") : "";
        return {
            containers: lines(this.docker("ps", "-a", "-q", "--filter", label)),
            volumes: [
                ...lines(this.docker("volume", "ls", "-q", "--filter", label)),
                ...volumes.filter((v) => allVolumes.has(v)),
            ],
            networks: lines(this.docker("network", "ls", "-q", "--filter", label)),
            contexts: kubeconfig.includes(`kind-${cluster}`) ? [`kind-${cluster}`] : [],
        };
    }

    /**
     * Creates a cluster with kind directly (for existing-cluster mode, and for one made outside
     * Pulumi), from the lab's own kind config (`workers` beside the control plane, every node Ready),
     * and writes its kubeconfig to a file of its own. Returns that file and the context.
     */
    createCluster(cluster: string, workers = 0): { kubeconfig: string; context: string } {
        this.checkDocker();
        const config = path.join(this.root, `${cluster}.kind.json`);
        fs.writeFileSync(config, renderKindConfig({ workerNodes: workers }));
        this.kind(...createClusterArgs(cluster, config, nodeImage() || undefined));
        const kubeconfig = path.join(this.root, `${cluster}.kubeconfig`);
        fs.writeFileSync(kubeconfig, this.kind("get", "kubeconfig", "--name", cluster), { mode: 0o600 });
        const context = `kind-${cluster}`;
        // The controller-manager makes each namespace's default ServiceAccount; Pods need it.
        for (
            let i = 0;
            i < 120 && this.run("kubectl", "--kubeconfig", kubeconfig, "get", "serviceaccount", "default").status !== 0;
            i++
        ) {
            sleepMs(500);
        }
        // kind waits for the control plane only.
        if (workers > 0) {
            this.checked("kubectl", [
                "--kubeconfig",
                kubeconfig,
                "wait",
                "--for=condition=Ready",
                "nodes",
                "--all",
                "--timeout=180s",
            ]);
        }
        return { kubeconfig, context };
    }

    /** Deletes the clusters of this suite a failed or interrupted test left, then this suite's files. */
    dispose(): void {
        if (this.disposed) return;
        this.disposed = true;
        this.forgetTeardown();
        const listed = this.run("kind", "get", "clusters").stdout.split("\n");
        for (const cluster of listed.filter((c) => c !== "" && [...this.names].some((n) => c.includes(n)))) {
            console.error(`  deleting kind cluster ${cluster}, left by this run`);
            this.run("kind", "delete", "cluster", "--name", cluster);
        }
        fs.rmSync(this.root, { recursive: true, force: true });
    }

    private checked(command: string, args: string[]): string {
        const run = this.run(command, ...args);
        if (run.status !== 0) {
            throw new Error(`\`${command} ${args.join(" ")}\` failed (exit ${run.status}): ${run.stderr.trim()}`);
        }
        return run.stdout;
    }
}

/** A cluster made with kind directly, as a user's existing cluster. */
export interface ExistingCluster {
    kind: RealKind;
    cluster: string;
    /** A file holding only this cluster's kubeconfig. */
    kubeconfig: string;
    context: string;
    /** kubectl as the cluster's admin. */
    kubectl(...args: string[]): string;
}

let shared: ExistingCluster | undefined;

/**
 * One real kind cluster for every existing-cluster suite of this mocha run, made by the first
 * suite that asks (about a minute) and deleted when the run exits, or is interrupted.
 */
export function sharedCluster(): ExistingCluster {
    if (!shared) {
        const kind = new RealKind("lab-shared-");
        const cluster = kind.name("shared");
        process.once("exit", () => kind.dispose());
        const { kubeconfig, context } = kind.createCluster(cluster);
        shared = { kind, cluster, kubeconfig, context, kubectl: (...args) => kind.kubectl(context, ...args) };
    }
    return shared;
}

export function sleepMs(ms: number): void {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
