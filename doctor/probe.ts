import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { PROJECT } from "../config";
import { readHostFacts } from "../host/capacity";
import { expandHome } from "../host/kubeconfig";
import { LabImage } from "../lab/images";
import { dockerPresence } from "../lab/imageHost";
import { CommandRun, DoctorTarget, HostProbe, stateOwnsCluster } from "./checks";

/**
 * The doctor's probes: the only part that runs commands or reads the host.
 * Each one is bounded in time, and a missing tool is `undefined`, not an error.
 */

const TIMEOUT_MS = 15_000;

/** Runs a command; undefined when it is not installed. */
export function runCommand(command: string, args: string[]): CommandRun | undefined {
    const run = spawnSync(command, args, { encoding: "utf8", timeout: TIMEOUT_MS, env: process.env });
    if (run.error && (run.error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    const output = `${run.stdout ?? ""}${run.stderr ?? ""}`;
    if (run.error) return { ok: false, output: run.error.message };
    return { ok: run.status === 0, output };
}

/** The stack's checkpoint on a file backend (plain or gzipped); undefined for other backends. */
export function readFileBackendState(backendUrl: string, stack: string): unknown {
    if (!backendUrl.startsWith("file://")) return undefined;
    const root = expandHome(backendUrl.slice("file://".length), os.homedir());
    const dir = path.join(root, ".pulumi", "stacks", PROJECT);
    for (const [file, decode] of [
        [path.join(dir, `${stack}.json`), (b: Buffer) => b],
        [path.join(dir, `${stack}.json.gz`), (b: Buffer) => zlib.gunzipSync(b)],
    ] as const) {
        if (fs.existsSync(file)) {
            try {
                return JSON.parse(decode(fs.readFileSync(file)).toString("utf8"));
            } catch {
                return undefined;
            }
        }
    }
    // No state file: the stack has created nothing, so it owns no cluster.
    return fs.existsSync(root) ? {} : undefined;
}

/** `images`: the stack's (undefined when its config has a problem); Docker is asked about each when it answers. */
export function probeHost(target: DoctorTarget, backendUrl: string, images?: LabImage[]): HostProbe {
    const kubectl = runCommand("kubectl", ["version", "--client", "-o", "json"]);
    const kind = runCommand(target.kindPath, ["version"]);
    const probe: HostProbe = {
        node: process.version,
        pulumi: runCommand("pulumi", ["version"]),
        kind,
        kubectl: kubectl && { ok: kubectl.ok, output: kubectlVersion(kubectl.output) },
        docker:
            target.mode === "kind" || runCommand("docker", ["--version"])
                ? runCommand("docker", ["info", "--format", "{{.ServerVersion}}"])
                : undefined,
        ...readHostFacts(),
    };
    if (images) {
        const presence = probe.docker?.ok
            ? dockerPresence(
                  images.map((i) => i.image),
                  runCommand,
              )
            : undefined;
        probe.images = presence?.problem === undefined ? { list: images, ...presence } : { list: images };
    }
    if (target.mode === "kind" && target.clusterName) {
        const clusters = kind?.ok ? runCommand(target.kindPath, ["get", "clusters"]) : undefined;
        if (clusters?.ok)
            probe.kindClusters = clusters.output
                .split("\n")
                .map((l) => l.trim())
                .filter((l) => /^[a-z0-9.-]+$/.test(l));
        const contexts = kubectl ? runCommand("kubectl", ["config", "get-contexts", "-o", "name"]) : undefined;
        if (contexts?.ok)
            probe.kubeContexts = contexts.output
                .split("\n")
                .map((l) => l.trim())
                .filter(Boolean);
        const state = readFileBackendState(backendUrl, target.stack);
        if (state !== undefined) probe.stackOwnsCluster = stateOwnsCluster(state, target.clusterName);
    }
    return probe;
}

/** kubectl's JSON version, as "v1.33.1" (its text output changed across releases). */
function kubectlVersion(output: string): string {
    try {
        return JSON.parse(output.slice(output.indexOf("{"))).clientVersion.gitVersion as string;
    } catch {
        return output;
    }
}
