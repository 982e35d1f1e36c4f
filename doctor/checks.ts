import { parseLabConfig, stackScopedName } from "../config";
import { LAB_NODE_MAJOR } from "../host/nodeVersion";
import { HostFacts, MEMORY_PER_CLUSTER_MB, RAISE_INOTIFY, kindMemoryFit, lowInotifyLimits } from "../host/capacity";
import { FETCH_IMAGES, LabImage } from "../lab/images";
import { rawStackConfig } from "../lab/stackFile";

/**
 * `npm run doctor`: is this host ready for the lab? Pure judges over what the
 * probes (probe.ts) found, so every rule is unit-tested with fake results.
 * A "fail" stops `npm run up` before it creates anything; a "warn" does not.
 */

export interface ToolRequirement {
    /** As the README's prerequisites table names it. */
    name: string;
    command: string;
    /** The oldest version that works, major.minor.patch. */
    min: string;
    /** How the README writes that minimum (a test checks it says so). */
    readme: string;
    install: string;
    /** What a too-old or missing tool is: a "fail" stops up. */
    required: "always" | "kind" | "never";
    /** A version below `min` fails (else it only warns: Docker and kubectl usually cope). */
    oldFails: boolean;
    /** The usual one-line install, besides the link. */
    how: string;
    why: string;
}

/** The minimum versions, said once: the README's prerequisites table must agree (tests/doctor). */
export const PREREQUISITES = {
    node: {
        name: "Node.js",
        command: "node",
        // Older ones may run, but @pulumi/pulumi declares this major (npm ci prints EBADENGINE below it).
        min: `${LAB_NODE_MAJOR}.0.0`,
        readme: `${LAB_NODE_MAJOR}`,
        install: "https://nodejs.org/en/download",
        required: "always",
        oldFails: false,
        how: 'nvm install (it reads .nvmrc), or for this shell: eval "$(bash scripts/node.sh --env)"',
        why: "runs the Pulumi program",
    },
    pulumi: {
        name: "Pulumi CLI",
        command: "pulumi",
        min: "3.0.0",
        readme: "3.x",
        install: "https://www.pulumi.com/docs/iac/download-install/",
        required: "always",
        oldFails: true,
        how: "curl -fsSL https://get.pulumi.com | sh, or brew install pulumi",
        why: "creates the lab (pulumi up)",
    },
    docker: {
        name: "Docker",
        command: "docker",
        // Debian 12's docker.io (what the toolchain installs where no Docker runs) is 20.10, and kind runs on it.
        min: "20.10.0",
        readme: "Docker Engine 20.10+",
        install: "https://docs.docker.com/get-started/get-docker/",
        required: "kind",
        oldFails: false,
        how: "Docker Desktop, or Docker Engine from your distribution",
        why: "kind runs its node as a container",
    },
    kind: {
        name: "kind",
        command: "kind",
        min: "0.20.0",
        readme: "0.20 or newer",
        install: "https://kind.sigs.k8s.io/docs/user/quick-start/#installation",
        required: "kind",
        oldFails: true,
        how: "brew install kind, or go install sigs.k8s.io/kind@latest",
        why: "creates the local cluster",
    },
    kubectl: {
        name: "kubectl",
        command: "kubectl",
        min: "1.29.0",
        readme: "1.29 or newer",
        install: "https://kubernetes.io/docs/tasks/tools/",
        required: "never",
        oldFails: false,
        how: "brew install kubectl, or the packages from the link",
        why: "runs the commands the lab prints",
    },
} as const satisfies Record<string, ToolRequirement>;

export type ToolName = keyof typeof PREREQUISITES;

export const KIND_KNOWN_ISSUES =
    "https://kind.sigs.k8s.io/docs/user/known-issues/#pod-errors-due-to-too-many-open-files";

/** A command's run: undefined when it is not on PATH. */
export interface CommandRun {
    ok: boolean;
    output: string;
}

/** What the probes found on this host (its memory and inotify limits as host/capacity.ts reads them). */
export interface HostProbe extends HostFacts {
    /** process.version */
    node: string;
    /** `pulumi version`, `kind version`, `kubectl version --client`. */
    pulumi?: CommandRun;
    kind?: CommandRun;
    kubectl?: CommandRun;
    /** `docker info --format {{.ServerVersion}}`: fails when the daemon does not answer. */
    docker?: CommandRun;
    availableMemoryBytes: number;
    /** `kind get clusters`; undefined when kind could not list them. */
    kindClusters?: string[];
    /** The kubeconfig's context names; undefined when unreadable. */
    kubeContexts?: string[];
    /** From the stack's state: does it hold the cluster? undefined when the state cannot be read cheaply. */
    stackOwnsCluster?: boolean;
    /**
     * The stack's images (lab/images.ts) and which the host's Docker has; undefined when the stack's
     * config has a problem. `present`/`missing` are undefined when Docker was not asked (not answering).
     */
    images?: { list: LabImage[]; present?: string[]; missing?: string[] };
}

/** What the stack will do. */
export interface DoctorTarget {
    stack: string;
    /** "kind": the stack creates a kind cluster named clusterName; "existing": it uses a cluster. */
    mode: "kind" | "existing";
    clusterName?: string;
    /** The kind executable the stack runs (config kindPath). */
    kindPath: string;
    /** How many kind clusters the host must hold (the classroom's cluster topology: one per student). */
    clusters: number;
}

export type Level = "ok" | "warn" | "fail";

export interface Finding {
    id: string;
    level: Level;
    /** What was found, one line. */
    message: string;
    /** How to fix it, when it is not ok. */
    fix?: string;
    link?: string;
}

/** The first x.y[.z] in a tool's output, as [major, minor, patch]. */
export function parseVersion(text: string): [number, number, number] | undefined {
    const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
    return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

export function atLeast(version: [number, number, number], min: string): boolean {
    const want = parseVersion(min)!;
    for (let i = 0; i < 3; i++) {
        if (version[i] !== want[i]) return version[i] > want[i];
    }
    return true;
}

const versionText = (v: [number, number, number]) => v.join(".");

/** One tool: present, answering, recent enough. */
export function judgeTool(tool: ToolName, run: CommandRun | undefined, target: DoctorTarget): Finding {
    const req: ToolRequirement = PREREQUISITES[tool];
    const needed = req.required === "always" || (req.required === "kind" && target.mode === "kind");
    const bad: Level = needed ? "fail" : "warn";
    const link = req.install;
    if (req.required === "kind" && target.mode !== "kind" && (!run || !run.ok)) {
        return { id: tool, level: "ok", message: `${req.name}: not needed (the stack uses an existing cluster)` };
    }
    if (!run) {
        return {
            id: tool,
            level: bad,
            message: `${req.name} is not installed (${req.command} is not on PATH); it ${req.why}.`,
            fix: `Install ${req.name} ${req.readme}: ${req.how}.`,
            link,
        };
    }
    if (!run.ok) {
        const first = run.output.split("\n").find((l) => l.trim() !== "") ?? "no output";
        const daemon = tool === "docker";
        return {
            id: tool,
            level: bad,
            message: daemon
                ? `Docker is installed but the daemon does not answer (docker info: ${first.trim()}).`
                : `${req.command} did not run: ${first.trim()}`,
            fix: daemon
                ? "Start Docker (Docker Desktop, or: sudo systemctl start docker) and check that your user may use it (docker info)."
                : `Reinstall ${req.name}.`,
            link,
        };
    }
    const version = parseVersion(run.output);
    if (!version) {
        return {
            id: tool,
            level: "warn",
            message: `${req.name}: could not read its version from "${run.output.trim()}".`,
        };
    }
    if (!atLeast(version, req.min)) {
        return {
            id: tool,
            level: req.oldFails ? bad : "warn",
            message: `${req.name} ${versionText(version)} is older than the lab needs (${req.readme}).`,
            fix: `Upgrade ${req.name} to ${req.readme}: ${req.how}.`,
            link,
        };
    }
    const note = needed || req.required === "never" ? "" : " (not needed: the stack uses an existing cluster)";
    return { id: tool, level: "ok", message: `${req.name} ${versionText(version)}${note}` };
}

export function judgeMemory(probe: HostProbe, target: DoctorTarget): Finding {
    const fit = kindMemoryFit(target.mode === "kind" ? target.clusters : 0, probe);
    const available = fit.availableMb ?? 0;
    if (target.mode !== "kind") {
        return { id: "memory", level: "ok", message: `memory: ${available} MB available (no kind cluster to hold)` };
    }
    const what = `${target.clusters} kind cluster${target.clusters === 1 ? "" : "s"} need about ${fit.neededMb} MB`;
    const room = `room for about ${fit.room} at ${MEMORY_PER_CLUSTER_MB} MB each`;
    switch (fit.verdict) {
        case "too-small":
            return {
                id: "memory",
                level: "fail",
                message: `memory: ${what}; this host has ${fit.totalMb} MB in all, ${room}.`,
                fix: "Use a bigger host, fewer students per host, or one shared cluster (classroom --topology shared).",
            };
        case "tight":
            return {
                id: "memory",
                level: "warn",
                message: `memory: ${what}, more than three quarters of this host's ${fit.totalMb} MB, ${room}.`,
                fix: "Use fewer students per host, or one shared cluster (classroom --topology shared).",
            };
        case "short-now":
            return {
                id: "memory",
                level: "warn",
                message: `memory: ${what}; only ${available} MB are available now.`,
                fix: "Close other programs (or Docker containers) first; the cluster may be slow or fail to start.",
            };
        case "fits":
            return { id: "memory", level: "ok", message: `memory: ${available} MB available, ${what}` };
    }
}

/** kind's advice for many nodes on one host; below it is only a warning (one cluster usually copes). */
export function judgeInotify(probe: HostProbe, target: DoctorTarget): Finding {
    if (target.mode !== "kind")
        return { id: "inotify", level: "ok", message: "inotify limits: not needed (no kind cluster)" };
    if (probe.maxUserWatches === undefined || probe.maxUserInstances === undefined) {
        return {
            id: "inotify",
            level: "ok",
            message: "inotify limits: not readable here (not Linux?); Docker Desktop's VM has its own.",
        };
    }
    const low = lowInotifyLimits({ maxUserWatches: probe.maxUserWatches, maxUserInstances: probe.maxUserInstances });
    if (low.length === 0) {
        return {
            id: "inotify",
            level: "ok",
            message: `inotify limits: max_user_watches ${probe.maxUserWatches}, max_user_instances ${probe.maxUserInstances}`,
        };
    }
    return {
        id: "inotify",
        level: "warn",
        message: `inotify limits are low: ${low.join(", ")}; Pods may fail with "too many open files".`,
        fix: `${RAISE_INOTIFY} (until reboot; /etc/sysctl.d/ to keep it)`,
        link: KIND_KNOWN_ISSUES,
    };
}

/** A kind cluster or kube context with the stack's cluster name that the stack did not create. */
export function judgeClusterName(probe: HostProbe, target: DoctorTarget): Finding {
    if (target.mode !== "kind" || !target.clusterName) {
        return { id: "cluster-name", level: "ok", message: "cluster name: the stack uses an existing cluster" };
    }
    const name = target.clusterName;
    const context = `kind-${name}`;
    const cluster = probe.kindClusters?.includes(name) ?? false;
    const hasContext = probe.kubeContexts?.includes(context) ?? false;
    if (!cluster && !hasContext) {
        const unknown = probe.kindClusters === undefined ? " (kind could not list its clusters)" : "";
        return { id: "cluster-name", level: "ok", message: `cluster name: "${name}" is free${unknown}` };
    }
    if (probe.stackOwnsCluster === true) {
        return {
            id: "cluster-name",
            level: "ok",
            message: `cluster name: "${name}" exists and stack ${target.stack} made it`,
        };
    }
    const setOther = `pulumi config set init-sidecar-lab:clusterName ${name}-2 --stack ${target.stack}`;
    if (cluster) {
        const owner =
            probe.stackOwnsCluster === false
                ? `stack ${target.stack} did not create it`
                : "the stack's state could not be read to tell whether the stack made it";
        return {
            id: "cluster-name",
            level: probe.stackOwnsCluster === false ? "fail" : "warn",
            message: `a kind cluster named "${name}" already exists and ${owner}: up would refuse to take it over.`,
            fix: `Delete it if it is a leftover (kind delete cluster --name ${name}), or give the stack another name: ${setOther}`,
        };
    }
    return {
        id: "cluster-name",
        level: "warn",
        message: `the kube context "${context}" exists but there is no kind cluster "${name}": a leftover of a deleted cluster.`,
        fix: `kubectl config delete-context ${context} (kind writes a fresh one when it creates the cluster).`,
    };
}

/**
 * The stack's images in the host's Docker: those present are loaded into its kind cluster (npm run up),
 * so it never pulls them; a missing one is pulled by the nodes, which needs a network. Only a warning.
 */
export function judgeImages(probe: HostProbe, target: DoctorTarget): Finding {
    const images = probe.images;
    if (!images)
        return {
            id: "images",
            level: "ok",
            message: "images: not checked (the stack's config has a problem; up names it)",
        };
    const names = images.list.map((i) => i.image);
    const defaultNode =
        target.mode === "kind" && !images.list.some((i) => i.runs === "node")
            ? "; kind's node image: kind's default"
            : "";
    if (images.present === undefined || images.missing === undefined) {
        return {
            id: "images",
            level: "ok",
            message: `images: ${names.join(", ")}: Docker was not asked (see Docker above)`,
        };
    }
    if (images.missing.length === 0) {
        return {
            id: "images",
            level: "ok",
            message: `images: Docker has ${names.join(", ")}: up loads them, nothing is pulled${defaultNode}`,
        };
    }
    const have = images.present.length > 0 ? `Docker has ${images.present.join(", ")}; ` : "";
    return {
        id: "images",
        level: "warn",
        message:
            `images: ${have}missing ${images.missing.join(", ")}: the cluster's nodes will pull ` +
            `${images.missing.length === 1 ? "it" : "them"}, which needs a network${defaultNode}.`,
        fix: `${FETCH_IMAGES.pull} --stack ${target.stack} (needs a registry), or offline: ${FETCH_IMAGES.load}`,
    };
}

/** Every finding, in the order they are printed. */
export function diagnose(probe: HostProbe, target: DoctorTarget): Finding[] {
    return [
        judgeTool("node", { ok: true, output: probe.node }, target),
        judgeTool("pulumi", probe.pulumi, target),
        judgeTool("docker", probe.docker, target),
        judgeTool("kind", probe.kind, target),
        judgeTool("kubectl", probe.kubectl, target),
        judgeMemory(probe, target),
        judgeInotify(probe, target),
        judgeClusterName(probe, target),
        judgeImages(probe, target),
    ];
}

/** The report: one line a finding, the fix and link under each problem, and a verdict. */
export function renderFindings(findings: readonly Finding[]): string {
    const mark: Record<Level, string> = { ok: "ok  ", warn: "WARN", fail: "FAIL" };
    const lines: string[] = [];
    for (const f of findings) {
        lines.push(`${mark[f.level]}  ${f.message}`);
        if (f.level !== "ok" && f.fix) lines.push(`      fix: ${f.fix}`);
        if (f.level !== "ok" && f.link) lines.push(`      see: ${f.link}`);
    }
    const fails = findings.filter((f) => f.level === "fail").length;
    const warns = findings.filter((f) => f.level === "warn").length;
    lines.push(
        fails > 0
            ? `${fails} problem${fails === 1 ? "" : "s"} to fix before npm run up${warns ? `, ${warns} warning${warns === 1 ? "" : "s"}` : ""}.`
            : `Ready for npm run up${warns ? ` (${warns} warning${warns === 1 ? "" : "s"})` : ""}.`,
    );
    return lines.join("\n") + "\n";
}

/** 1 when any finding fails (up stops), else 0: warnings never fail. */
export function doctorExitCode(findings: readonly Finding[]): number {
    return findings.some((f) => f.level === "fail") ? 1 : 0;
}

/** Whether the stack's state (a Pulumi checkpoint or `stack export` JSON) holds the kind cluster `name`. */
export function stateOwnsCluster(state: unknown, name: string): boolean {
    const root = state as {
        checkpoint?: { latest?: { resources?: unknown[] } };
        deployment?: { resources?: unknown[] };
    };
    const resources = root?.checkpoint?.latest?.resources ?? root?.deployment?.resources ?? [];
    return resources.some((r) => {
        const res = r as { type?: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> };
        return (
            // KindCluster's resource is a dynamic one: pulumi-nodejs:dynamic/kind:Cluster.
            typeof res.type === "string" &&
            res.type.startsWith("pulumi-nodejs:dynamic") &&
            (res.outputs?.clusterName === name || res.inputs?.clusterName === name)
        );
    });
}

/**
 * What the stack will do, from its config file's values (`Pulumi.<stack>.yaml`'s `config:`, keys with
 * the project prefix). A bad value is the program's to report; here it falls back to the defaults.
 */
export function targetFromStackConfig(stack: string, config: Record<string, unknown>, clusters = 1): DoctorTarget {
    const raw = rawStackConfig(config);
    try {
        const { cluster } = parseLabConfig(raw, stack);
        return cluster.mode === "kind"
            ? { stack, mode: "kind", clusterName: cluster.clusterName, kindPath: cluster.kindPath, clusters }
            : { stack, mode: "existing", kindPath: "kind", clusters };
    } catch {
        const existing = Boolean(raw.kubeconfigPath || raw.kubeContext) || raw.clusterMode === "existing";
        return existing
            ? { stack, mode: "existing", kindPath: "kind", clusters }
            : {
                  stack,
                  mode: "kind",
                  clusterName: raw.clusterName || stackScopedName(stack),
                  kindPath: raw.kindPath || "kind",
                  clusters,
              };
    }
}
