import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import {
    describeImageLoad,
    dockerImageInspectArgs,
    getClustersArgs,
    loadImagesArgs,
    parseClusterList,
} from "../components/kindCli";
import { rawStackConfig, stackConfig } from "./stackFile";
import { adminKubeconfigPath, clusterEndpoint } from "../host/kubeconfig";
import { kindClusterOfContext, podImages, stackImages } from "./images";

/**
 * The host side of the lab's images: what the host's Docker has, and `kind load` into a cluster that
 * already exists (a new one loads them itself: components/kindProvider.ts). `npm run up` runs
 * {@link main} before deploying; the classroom's shared topology runs {@link loadIntoContext}.
 */

/** A finished command: undefined when it is not installed. */
export interface ToolRun {
    ok: boolean;
    output: string;
}
export type Runner = (command: string, args: string[]) => ToolRun | undefined;

/** Runs a command to the end, its output captured (image archives can take minutes: no timeout). */
export const runTool: Runner = (command, args) => {
    const run = spawnSync(command, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (run.error && (run.error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    if (run.error) return { ok: false, output: run.error.message };
    return { ok: run.status === 0, output: `${run.stdout ?? ""}${run.stderr ?? ""}` };
};

/** Which images the host's Docker has; `problem` when Docker cannot be asked (not installed, not answering). */
export interface DockerPresence {
    present: string[];
    missing: string[];
    problem?: string;
}

/** `docker image inspect`, one image at a time: a missing one makes the command fail for all. */
export function dockerPresence(images: readonly string[], run: Runner = runTool): DockerPresence {
    const presence: DockerPresence = { present: [], missing: [] };
    for (const image of images) {
        const result = run("docker", dockerImageInspectArgs(image));
        if (result === undefined) return { present: [], missing: [...images], problem: "docker is not installed" };
        if (result.ok) presence.present.push(image);
        else if (/no such (image|object)/i.test(result.output)) presence.missing.push(image);
        else {
            const first = result.output.split("\n").find((l) => l.trim() !== "") ?? "no output";
            return { present: [], missing: [...images], problem: `docker does not answer (${first.trim()})` };
        }
    }
    return presence;
}

/** Loads into an existing kind cluster the images Docker has (one `kind load`); returns the line to print. */
export function loadIntoKindCluster(
    kindPath: string,
    clusterName: string,
    images: readonly string[],
    run: Runner = runTool,
): string {
    const { present, missing, problem } = dockerPresence(images, run);
    if (problem) return `images: not loaded into kind cluster "${clusterName}": ${problem}.`;
    let failure: string | undefined;
    if (present.length > 0) {
        const load = run(kindPath, loadImagesArgs(clusterName, present));
        if (!load?.ok) failure = load ? lastLine(load.output) : `${kindPath} is not installed`;
    }
    return `images: ${describeImageLoad(clusterName, { loaded: present, missing, failure })}`;
}

/** The kind clusters kind lists; undefined when kind cannot list them. */
function kindClusters(kindPath: string, run: Runner): string[] | undefined {
    const listed = run(kindPath, getClustersArgs());
    return listed?.ok ? parseClusterList(listed.output.replace(/^No kind clusters found\.$/m, "")) : undefined;
}

/**
 * Loads `images` into the cluster a kubeconfig context talks to, when it is a local kind cluster;
 * another cluster's nodes pull from their registry (its admin loads images there).
 */
export function loadIntoContext(
    kubeconfigPath: string,
    context: string | undefined,
    images: readonly string[],
    run: Runner = runTool,
    readFile: (file: string) => string = (file) => fs.readFileSync(file, "utf8"),
): string {
    let resolved: string;
    try {
        resolved = clusterEndpoint(readFile(kubeconfigPath), context).context;
    } catch (err) {
        return `images: not loaded: cannot read the context of ${kubeconfigPath}: ${(err as Error).message}.`;
    }
    const clusters = kindClusters("kind", run) ?? [];
    const name = kindClusterOfContext(resolved, clusters);
    if (name === undefined) {
        return (
            `images: not loaded: context "${resolved}" is not a local kind cluster, so its nodes pull ` +
            `${images.join(", ")} from their registry.`
        );
    }
    return loadIntoKindCluster("kind", name, images, run);
}

/**
 * `npm run up`'s step before deploying: the stack's images into its cluster when that cluster exists
 * already (a kind cluster of this stack, or an existing cluster that is a local kind cluster).
 * Only says what it did: a load that cannot happen never stops `up`.
 */
export function loadStackImages(
    stack: string,
    env: Readonly<Record<string, string | undefined>>,
    run: Runner = runTool,
    fileConfig: Record<string, unknown> = stackConfig(stack),
): string {
    const found = stackImages(rawStackConfig(fileConfig), stack, env);
    if ("problem" in found) return "images: not loaded: the stack's config has a problem (pulumi up names it).";
    const images = podImages(found.images);
    if (images.length === 0) return "images: none to load.";
    const cluster = found.cluster;
    if (cluster.mode === "kind") {
        const clusters = kindClusters(cluster.kindPath, run);
        if (!clusters?.includes(cluster.clusterName)) {
            return `images: kind cluster "${cluster.clusterName}" does not exist yet; it loads them when it is created.`;
        }
        return loadIntoKindCluster(cluster.kindPath, cluster.clusterName, images, run);
    }
    const file = adminKubeconfigPath(cluster.kubeconfigPath, env.KUBECONFIG, os.homedir());
    return loadIntoContext(file, cluster.kubeContext, images, run);
}

function lastLine(text: string): string {
    const lines = text.split("\n").filter((l) => l.trim() !== "");
    return lines[lines.length - 1]?.trim() ?? "no output";
}

if (require.main === module) {
    const at = process.argv.indexOf("--stack");
    const stack = at > 0 ? process.argv[at + 1] : process.env.LAB_STACK || "dev";
    process.stderr.write(`${loadStackImages(stack, process.env)}\n`);
}
