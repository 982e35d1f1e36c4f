import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";

/**
 * The host's kubeconfig files: which one the lab deploys with, and what a context's cluster
 * (server, CA) is in it. Host I/O lives here, not in components/.
 */

/**
 * The kubeconfig file the existing-cluster provider reads: the configured one, else the first
 * file of `$KUBECONFIG`, else `~/.kube/config`.
 */
export function adminKubeconfigPath(configured: string | undefined, env: string | undefined, home: string): string {
    if (configured) return expandHome(configured, home);
    const first = (env ?? "").split(path.delimiter).find((f) => f !== "");
    return first ?? path.join(home, ".kube", "config");
}

/**
 * Every kubeconfig file the Kubernetes provider reads, merged as kubectl merges them: the
 * configured one, else each file of `$KUBECONFIG`, else `~/.kube/config`.
 */
export function kubeconfigFiles(configured: string | undefined, env: string | undefined, home: string): string[] {
    if (configured) return [expandHome(configured, home)];
    const listed = (env ?? "").split(path.delimiter).filter((f) => f !== "");
    return listed.length > 0 ? listed : [path.join(home, ".kube", "config")];
}

/**
 * The context names those files define, or undefined when none of them could be read as a
 * kubeconfig (then the provider finds its cluster some other way, or says why it cannot).
 */
export function kubeconfigContexts(
    files: readonly string[],
    readFile: (file: string) => string = (file) => fs.readFileSync(file, "utf8"),
): string[] | undefined {
    let readAny = false;
    const names: string[] = [];
    for (const file of files) {
        let doc: unknown;
        try {
            doc = parseYaml(readFile(file));
        } catch {
            continue;
        }
        if (doc === null || typeof doc !== "object" || Array.isArray(doc)) continue;
        readAny = true;
        for (const entry of namedEntries(doc as Record<string, unknown>, "contexts")) {
            if (typeof entry.name === "string" && !names.includes(entry.name)) names.push(entry.name);
        }
    }
    return readAny ? names : undefined;
}

/** The Kubernetes provider reads a kubeconfig path as it is; a shell would have expanded `~`. */
export function expandHome(file: string, home: string): string {
    return file === "~" || file.startsWith("~/") ? home + file.slice(1) : file;
}

/** Why `file` cannot serve as a kubeconfig (it is missing or not a file), or undefined when it can. */
export function kubeconfigFileProblem(
    file: string,
    stat: (file: string) => fs.Stats = fs.statSync,
): string | undefined {
    let stats: fs.Stats;
    try {
        stats = stat(file);
    } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        return code === "ENOENT" ? "it does not exist" : `it cannot be read: ${code ?? String(err)}`;
    }
    return stats.isFile() ? undefined : "it is not a file";
}

/** Where a kubeconfig context's cluster is: what a student's kubeconfig needs from the admin's. */
export interface ClusterEndpoint {
    /** The context that was read: the one asked for, else the kubeconfig's current-context. */
    context: string;
    /** The cluster entry's name. */
    cluster: string;
    server: string;
    /** `certificate-authority-data`, base64 PEM. */
    caData?: string;
    /** `certificate-authority`, a file path as written (relative paths are relative to the kubeconfig). */
    caFile?: string;
}

interface NamedEntry {
    name?: unknown;
    [key: string]: unknown;
}

function namedEntries(doc: Record<string, unknown>, key: string): NamedEntry[] {
    const list = doc[key];
    return Array.isArray(list) ? list.filter((e): e is NamedEntry => e !== null && typeof e === "object") : [];
}

/**
 * Reads a context's cluster (server and CA) from a kubeconfig's text. Pure: a CA given as a file
 * comes back as `caFile`, for {@link loadClusterEndpoint} to read. Throws an Error that names
 * the context for anything missing.
 */
export function clusterEndpoint(kubeconfigText: string, context?: string): ClusterEndpoint {
    let doc: unknown;
    try {
        doc = parseYaml(kubeconfigText);
    } catch (err) {
        throw new Error(`the kubeconfig is not valid YAML: ${(err as Error).message}`, { cause: err });
    }
    if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
        throw new Error("the kubeconfig is not a YAML mapping (apiVersion, clusters, contexts, users)");
    }
    const config = doc as Record<string, unknown>;
    const contexts = namedEntries(config, "contexts");
    const known = contexts.map((c) => JSON.stringify(c.name)).join(", ") || "none";
    const currentContext = config["current-context"];
    const contextName = context ?? (typeof currentContext === "string" && currentContext !== "" ? currentContext : "");
    if (contextName === "") {
        throw new Error(`the kubeconfig sets no current-context; name one of its contexts (${known})`);
    }
    const entry = contexts.find((c) => c.name === contextName);
    if (!entry) throw new Error(`context "${contextName}" is not in the kubeconfig (its contexts: ${known})`);
    const ctx = entry.context as Record<string, unknown> | undefined;
    const clusterName = ctx?.cluster;
    if (typeof clusterName !== "string" || clusterName === "") {
        throw new Error(`context "${contextName}" names no cluster`);
    }
    const clusterEntry = namedEntries(config, "clusters").find((c) => c.name === clusterName);
    if (!clusterEntry) {
        throw new Error(
            `context "${contextName}" names cluster "${clusterName}", which the kubeconfig does not define`,
        );
    }
    const cluster = (clusterEntry.cluster ?? {}) as Record<string, unknown>;
    const server = cluster.server;
    if (typeof server !== "string" || server === "") {
        throw new Error(`cluster "${clusterName}" of context "${contextName}" has no server`);
    }
    const caData = cluster["certificate-authority-data"];
    const caFile = cluster["certificate-authority"];
    return {
        context: contextName,
        cluster: clusterName,
        server,
        ...(typeof caData === "string" && caData !== ""
            ? { caData: caData.replace(/\s+/g, "") }
            : typeof caFile === "string" && caFile !== ""
              ? { caFile }
              : {}),
    };
}

/**
 * Reads a kubeconfig file and the context's server and CA from it, reading a `certificate-authority`
 * file too (relative to the kubeconfig's directory, as kubectl does). Errors name the file and context.
 */
export function loadClusterEndpoint(
    kubeconfigPath: string,
    context?: string,
    readFile: (file: string) => Buffer = (file) => fs.readFileSync(file),
): { cluster: string; server: string; caData?: string } {
    let text: string;
    try {
        text = readFile(kubeconfigPath).toString("utf8");
    } catch (err) {
        throw new Error(`cannot read the kubeconfig ${kubeconfigPath}: ${(err as Error).message}`, { cause: err });
    }
    let endpoint: ClusterEndpoint;
    try {
        endpoint = clusterEndpoint(text, context);
    } catch (err) {
        throw new Error(`${kubeconfigPath}: ${(err as Error).message}`, { cause: err });
    }
    const { cluster, server } = endpoint;
    if (endpoint.caFile === undefined) return { cluster, server, caData: endpoint.caData };
    const caPath = path.resolve(path.dirname(kubeconfigPath), endpoint.caFile);
    try {
        return { cluster, server, caData: readFile(caPath).toString("base64") };
    } catch (err) {
        throw new Error(
            `${kubeconfigPath}: cannot read the certificate-authority file ${caPath} of context "${endpoint.context}": ${(err as Error).message}`,
            { cause: err },
        );
    }
}
