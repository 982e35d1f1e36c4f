import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { LabProject } from "../e2e/harness";
import { RUN_ID, RealKind } from "../e2e/realKind";
import {
    INOTIFY_INSTANCES_PER_CLUSTER,
    MEMORY_PER_CLUSTER_MB,
    kindClassFit,
    kindMemoryFit,
    readHostFacts,
} from "../host/capacity";
import { Target, dockerStatsMemory, mebibytes, renderTargets, seconds, table, vmRssBytes } from "./stats";

/**
 * `classroom up` then `classroom verify` on real kind, as an instructor runs a class:
 * - the shared topology, one single-node cluster, for each class size: the time until every
 *   student's Pods are Ready (up waits for them) and until verify passes every student, the node
 *   container's memory (docker stats) and the kube-apiserver's resident memory (its /proc status,
 *   read from the host), both sampled every 2 s, peaks kept;
 * - one cluster per student, for as many students as host/capacity.ts's rule (the doctor's) lets
 *   this host hold, up to `maxClusters`: the time per student, the memory of each cluster, and the
 *   inotify instances each takes (counted host-wide before and after).
 */

export interface ClassroomBenchOptions {
    sizes: number[];
    /** --parallel of classroom up and verify; at most the class size. */
    parallel: number;
    /** One cluster per student: at most this many (the host's room decides below it); 0 skips. */
    maxClusters: number;
}

const GiB = 1024 ** 3;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The peak memory of some node containers (docker stats) and of their API servers (RSS), every 2 s. */
class MemorySampler {
    peakNodes = 0;
    lastNodes = 0;
    peakApiservers = 0;
    private running = true;
    private readonly loop: Promise<void>;

    constructor(private readonly containers: () => string[]) {
        this.loop = (async () => {
            while (this.running) {
                this.sample();
                await sleep(2000);
            }
        })();
    }

    sample(): void {
        const ids = this.containers();
        if (ids.length === 0) return;
        const stats = spawnSync("docker", ["stats", "--no-stream", "--format", "{{.MemUsage}}", ...ids], {
            encoding: "utf8",
        });
        // A node created or deleted between the listing and the stats: skip that sample.
        if (stats.status === 0) {
            this.lastNodes = dockerStatsMemory(stats.stdout);
            this.peakNodes = Math.max(this.peakNodes, this.lastNodes);
        }
        this.peakApiservers = Math.max(this.peakApiservers, apiserverRss(ids));
    }

    async stop(): Promise<void> {
        this.running = false;
        await this.loop;
        this.sample();
    }
}

/** Host processes, by the /proc entries this process may read. */
function pids(): string[] {
    return fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p));
}

function readProc(pid: string, file: string): string {
    try {
        return fs.readFileSync(path.join("/proc", pid, file), "utf8");
    } catch {
        return ""; // gone meanwhile
    }
}

/** The summed RSS of the kube-apiservers running in these node containers (their cgroup names the container). */
function apiserverRss(containerIds: string[]): number {
    let total = 0;
    for (const pid of pids()) {
        if (readProc(pid, "comm").trim() !== "kube-apiserver") continue;
        const cgroup = readProc(pid, "cgroup");
        if (!containerIds.some((id) => cgroup.includes(id))) continue;
        total += vmRssBytes(readProc(pid, "status"));
    }
    return total;
}

/** inotify instances open on this host: the file descriptors that are one. */
function inotifyInstances(): number {
    let count = 0;
    for (const pid of pids()) {
        let fds: string[];
        try {
            fds = fs.readdirSync(path.join("/proc", pid, "fd"));
        } catch {
            continue;
        }
        for (const fd of fds) {
            try {
                if (fs.readlinkSync(path.join("/proc", pid, "fd", fd)) === "anon_inode:inotify") count++;
            } catch {
                // closed meanwhile
            }
        }
    }
    return count;
}

function load(): string {
    return fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
}

async function timed(
    project: LabProject,
    args: string[],
): Promise<{ ms: number; status: number | null; output: string }> {
    const start = Date.now();
    const run = await project.classroomAsync(...args);
    return { ms: Date.now() - start, ...run };
}

interface SharedRow {
    size: number;
    upMs: number;
    verifyMs: number;
    verified: boolean;
    peakNode: number;
    peakApiserver: number;
}

async function benchShared(
    kind: RealKind,
    project: LabProject,
    options: ClassroomBenchOptions,
    log: (line: string) => void,
): Promise<SharedRow[]> {
    const cluster = kind.name("class");
    log(`creating one kind cluster for the class to share (${cluster}) ...`);
    const node = kind.createCluster(cluster);
    const rows: SharedRow[] = [];
    for (const size of options.sizes) {
        const parallel = String(Math.min(size, options.parallel));
        const sampler = new MemorySampler(() => [...kind.nodes(cluster).values()]);
        log(`classroom up, ${size} student(s), --parallel ${parallel} (load ${load()}) ...`);
        const up = await timed(project, [
            ...["up", "--count", String(size), "--topology", "shared"],
            ...["--kubeconfig", node.kubeconfig, "--context", node.context, "--parallel", parallel],
        ]);
        if (up.status !== 0) throw new Error(`classroom up for ${size} students failed:\n${up.output}`);
        const report = path.join(project.root, `verify-${size}`);
        const verify = await timed(project, [
            ...["verify", "--count", String(size), "--parallel", parallel],
            ...["--csv", `${report}.csv`, "--json", `${report}.json`],
        ]);
        await sampler.stop();
        const row = {
            size,
            upMs: up.ms,
            verifyMs: verify.ms,
            verified: verify.status === 0,
            peakNode: sampler.peakNodes,
            peakApiserver: sampler.peakApiservers,
        };
        rows.push(row);
        log(
            `  Ready in ${seconds(up.ms)} s, verify ${row.verified ? "passed" : "FAILED"} in ${seconds(verify.ms)} s; ` +
                `node peak ${mebibytes(row.peakNode)} MiB, kube-apiserver peak ${mebibytes(row.peakApiserver)} MiB`,
        );
        if (!row.verified) log(verify.output);
        const down = await timed(project, ["destroy", "--count", String(size), "--parallel", parallel]);
        if (down.status !== 0) throw new Error(`classroom destroy for ${size} students failed:\n${down.output}`);
    }
    kind.run("kind", "delete", "cluster", "--name", cluster);
    return rows;
}

interface PerStudentResult {
    clusters: number;
    room: number;
    upMs: number;
    verifyMs: number;
    verified: boolean;
    steadyMemory: number;
    peakMemory: number;
    inotifyPerCluster: number;
}

async function benchPerStudent(
    kind: RealKind,
    project: LabProject,
    options: ClassroomBenchOptions,
    log: (line: string) => void,
): Promise<PerStudentResult | undefined> {
    const room = kindClassFit(1, readHostFacts()).room;
    const clusters = Math.min(room, options.maxClusters);
    if (clusters < 1) return undefined;
    // The class is named after the run, so every cluster, lab-<run>-student-NN, is this run's to clean up.
    const className = RUN_ID;
    kind.name("lab");
    const args = ["--count", String(clusters), "--class", className];
    const parallel = String(Math.min(clusters, options.parallel));
    const ids = () =>
        kind
            .clusters()
            .filter((c) => c.startsWith(`lab-${className}-`))
            .flatMap((c) => [...kind.nodes(c).values()]);
    const before = inotifyInstances();
    const sampler = new MemorySampler(ids);
    log(
        `classroom up, one kind cluster per student: ${clusters} (the host's room by the doctor's rule: ${room}), ` +
            `--parallel ${parallel} (load ${load()}) ...`,
    );
    const up = await timed(project, ["up", ...args, "--parallel", parallel]);
    if (up.status !== 0) throw new Error(`classroom up, a cluster per student, failed:\n${up.output}`);
    const report = path.join(project.root, "verify-clusters");
    const verify = await timed(project, [
        ...["verify", ...args, "--parallel", parallel],
        ...["--csv", `${report}.csv`, "--json", `${report}.json`],
    ]);
    await sleep(10_000); // the steady state, past the Pods' start
    await sampler.stop();
    const inotify = inotifyInstances() - before;
    const down = await timed(project, ["destroy", ...args, "--parallel", parallel]);
    if (down.status !== 0) throw new Error(`classroom destroy of the clusters failed:\n${down.output}`);
    const result = {
        clusters,
        room,
        upMs: up.ms,
        verifyMs: verify.ms,
        verified: verify.status === 0,
        steadyMemory: sampler.lastNodes,
        peakMemory: sampler.peakNodes,
        inotifyPerCluster: inotify / clusters,
    };
    if (!result.verified) log(verify.output);
    return result;
}

export async function benchClassroom(options: ClassroomBenchOptions, log: (line: string) => void): Promise<boolean> {
    const kind = new RealKind("bench-class-");
    const project = kind.project();
    let shared: SharedRow[];
    let perStudent: PerStudentResult | undefined;
    try {
        shared = await benchShared(kind, project, options, log);
        perStudent = options.maxClusters > 0 ? await benchPerStudent(kind, project, options, log) : undefined;
    } finally {
        project.dispose();
        kind.dispose();
    }

    const one = shared[0];
    const total = (r: SharedRow) => r.upMs + r.verifyMs;
    const rows = [["students", "Ready s", "verify s", "both s", `vs ${one.size}`, "node MiB", "apiserver MiB"]];
    for (const r of shared) {
        rows.push([
            String(r.size),
            seconds(r.upMs),
            `${seconds(r.verifyMs)}${r.verified ? "" : " FAILED"}`,
            seconds(total(r)),
            `${(total(r) / total(one)).toFixed(2)}x`,
            mebibytes(r.peakNode),
            mebibytes(r.peakApiserver),
        ]);
    }
    log(`\nshared topology, one single-node kind cluster (peaks of 2 s samples):\n${table(rows)}`);

    if (perStudent) {
        const p = perStudent;
        const perCluster = p.steadyMemory / p.clusters;
        log(
            `\none kind cluster per student, ${p.clusters} at once (--parallel ${Math.min(p.clusters, options.parallel)}):\n` +
                table([
                    ["clusters", "Ready s", "per student s", "verify s", "MiB per cluster", "peak MiB", "inotify each"],
                    [
                        String(p.clusters),
                        seconds(p.upMs),
                        seconds(p.upMs / p.clusters),
                        `${seconds(p.verifyMs)}${p.verified ? "" : " FAILED"}`,
                        mebibytes(perCluster),
                        mebibytes(p.peakMemory),
                        p.inotifyPerCluster.toFixed(1),
                    ],
                ]),
        );
        const memoryRoom = kindMemoryFit(1, readHostFacts()).room;
        log(
            `where this host runs out: room for ${p.room} clusters by host/capacity.ts (~${MEMORY_PER_CLUSTER_MB} MB ` +
                `and ~${INOTIFY_INSTANCES_PER_CLUSTER} inotify instances each); its memory alone holds ${memoryRoom}. ` +
                `EXTRAPOLATED from ${p.clusters}: ${memoryRoom} clusters ~ ${mebibytes(perCluster * memoryRoom)} MiB ` +
                `of node memory and ~${(p.inotifyPerCluster * memoryRoom).toFixed(0)} inotify instances, ` +
                `~${seconds((p.upMs / p.clusters) * memoryRoom)} s to Ready at the measured pace`,
        );
    }

    const largest = shared[shared.length - 1];
    const targets: Target[] = [
        {
            name: `${largest.size} students vs ${one.size}, Ready and verified`,
            measured: total(largest) / total(one),
            limit: 3,
            unit: "x",
        },
        {
            name: `${largest.size} students, the node's peak memory`,
            measured: largest.peakNode / GiB,
            limit: 6,
            unit: "GiB",
        },
    ];
    log("\n" + renderTargets(targets));
    return (
        targets.every((t) => t.measured <= t.limit) && shared.every((r) => r.verified) && (perStudent?.verified ?? true)
    );
}
