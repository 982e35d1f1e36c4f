import type { CoreV1Event, V1ContainerStatus, V1Pod } from "@kubernetes/client-node";
import {
    ContainerReport,
    EventReport,
    Explanation,
    ObservedState,
    PodReport,
    Verdict,
    allStatuses,
    time,
} from "./model";
import { podStatus } from "./podStatus";

/**
 * What a failed check saw and why it matters, from the observed objects only:
 * the Pod's phase and conditions, each container's state and reason, the last
 * events and log lines, and one hint for the most likely fix. Pure.
 */

/** How many events and log lines an explanation keeps: enough to see the cause, short enough to read. */
export const LAST_EVENTS = 5;
export const LAST_LOG_LINES = 5;

function containerReport(status: V1ContainerStatus, kind: ContainerReport["kind"], image?: string): ContainerReport {
    const s = status.state;
    const last = status.lastState?.terminated;
    const report: ContainerReport = {
        name: status.name,
        kind,
        state: s?.running ? "running" : s?.terminated ? "terminated" : s?.waiting ? "waiting" : "not started",
        restarts: status.restartCount ?? 0,
    };
    const img = image ?? status.image;
    if (img) report.image = img;
    const reason = s?.waiting?.reason ?? s?.terminated?.reason;
    const message = s?.waiting?.message ?? s?.terminated?.message;
    if (reason) report.reason = reason;
    if (message) report.message = message.trim();
    if (s?.terminated) report.exitCode = s.terminated.exitCode;
    if (last?.reason) report.lastReason = last.reason;
    if (last) report.lastExitCode = last.exitCode;
    return report;
}

/** The containers of a Pod, init containers first; a container with no status yet shows as "not started". */
export function containerReports(pod: V1Pod): ContainerReport[] {
    const images = new Map<string, string>();
    for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
        if (c.image) images.set(c.name, c.image);
    }
    const reports: ContainerReport[] = [];
    const add = (kind: ContainerReport["kind"], specs: { name: string }[], statuses: V1ContainerStatus[]) => {
        const byName = new Map(statuses.map((s) => [s.name, s]));
        const names = specs.length > 0 ? specs.map((c) => c.name) : statuses.map((s) => s.name);
        for (const name of names) {
            const status = byName.get(name);
            if (status) reports.push(containerReport(status, kind, images.get(name)));
            else reports.push({ name, kind, image: images.get(name), state: "not started", restarts: 0 });
        }
    };
    add("init", pod.spec?.initContainers ?? [], pod.status?.initContainerStatuses ?? []);
    add("app", pod.spec?.containers ?? [], pod.status?.containerStatuses ?? []);
    return reports;
}

function eventTime(e: CoreV1Event): number | undefined {
    return time(e.lastTimestamp) ?? time(e.eventTime as Date | string | undefined) ?? time(e.firstTimestamp);
}

/** The last `LAST_EVENTS` events about this Pod, oldest first. */
export function podEvents(events: readonly CoreV1Event[], pod: string): EventReport[] {
    return events
        .filter((e) => e.involvedObject?.name === pod && (e.involvedObject.kind ?? "Pod") === "Pod")
        .map((e) => ({ e, at: eventTime(e) ?? 0 }))
        .sort((a, b) => a.at - b.at)
        .slice(-LAST_EVENTS)
        .map(({ e, at }) => {
            const report: EventReport = {
                type: e.type ?? "Normal",
                reason: e.reason ?? "",
                message: (e.message ?? "").trim(),
                count: e.count ?? e.series?.count ?? 1,
            };
            if (at > 0) report.at = new Date(at).toISOString();
            return report;
        });
}

export function podReport(state: ObservedState, name: string): PodReport {
    const pod = state.pods[name];
    const events = podEvents(state.events ?? [], name);
    if (!pod) return { name, found: false, conditions: [], containers: [], events, logs: [] };
    const conditions = (pod.status?.conditions ?? []).map(
        (c) => `${c.type} ${c.status}${c.reason ? ` (${c.reason})` : ""}${c.message ? `: ${c.message}` : ""}`,
    );
    const logs = Object.entries(state.tails ?? {})
        .filter(([key]) => key.startsWith(`${name}/`))
        .map(([key, lines]) => ({ container: key.slice(name.length + 1), lines: lines.slice(-LAST_LOG_LINES) }));
    const { ready, status, restarts } = podStatus(pod);
    return {
        name,
        found: true,
        phase: pod.status?.phase,
        ready,
        status,
        restarts,
        conditions,
        containers: containerReports(pod),
        events,
        logs,
    };
}

const IMAGE_REASONS = ["ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull"];
/** The kubelet's events about a pull that failed, naming the image: `Failed to pull image "x": ...`, `Back-off pulling image "x"`. */
const PULL_FAILED = /(?:Failed to pull image|Back-off pulling image) "([^"]+)"/;

function imageHint(image: string, container: string, why: string): string {
    return (
        `The image "${image}" of container ${container} cannot be pulled (${why}). ` +
        "Check its name and tag (pulumi config get init-sidecar-lab:image; the default is busybox:1.37.0) " +
        "and that the cluster can reach the registry; for a kind cluster without network, put it in the host's " +
        "Docker (npm run classroom -- images load FILE) and run npm run up again, which loads it into the cluster " +
        "(or: kind load docker-image IMAGE --name CLUSTER)."
    );
}

/**
 * The one most likely fix, from the worst thing seen. Order matters: a Pod
 * that cannot pull its image also has containers "waiting", and the pull is the cause.
 */
export function hintFor(pods: readonly PodReport[], namespace: string, verdict: Verdict): string {
    const missing = pods.find((p) => !p.found);
    if (missing) {
        return (
            `Pod ${missing.name} does not exist in namespace ${namespace}: bring the lab up (npm run up), ` +
            "or point verify at the right place (--stack NAME, or --namespace NS --context CTX)."
        );
    }
    const containers = pods.flatMap((p) => p.containers.map((c) => ({ pod: p, c })));
    const logs = (pod: string, c: string, previous = false) =>
        `kubectl logs ${pod} -c ${c} -n ${namespace}${previous ? " --previous" : ""}`;
    const image = containers.find(({ c }) => c.reason !== undefined && IMAGE_REASONS.includes(c.reason));
    if (image) return imageHint(image.c.image ?? "?", image.c.name, image.c.reason!);
    // Between two pull attempts a container may show CrashLoopBackOff (its old image was killed for the
    // new one): the events still say the pull failed, for an image a container now has in its spec.
    for (const pod of pods) {
        for (const e of [...pod.events].reverse()) {
            const pulled = PULL_FAILED.exec(e.message)?.[1];
            const owner = pulled && pod.containers.find((c) => c.image === pulled && c.state !== "running");
            if (owner) return imageHint(pulled, owner.name, `the kubelet's events: ${e.reason}`);
        }
    }
    const oom = containers.find(({ c }) => c.reason === "OOMKilled" || c.lastReason === "OOMKilled");
    if (oom) {
        return (
            `Container ${oom.c.name} ran out of memory and was killed (OOMKilled): raise its memory limit ` +
            `or make it use less. See: kubectl describe pod ${oom.pod.name} -n ${namespace}`
        );
    }
    const config = containers.find(({ c }) => c.reason === "CreateContainerConfigError");
    if (config) {
        return (
            `Kubernetes could not set container ${config.c.name} up${config.c.message ? `: ${config.c.message}` : ""}. ` +
            "Usually a securityContext the image does not meet (runAsNonRoot with an image that runs as root) " +
            "or a missing ConfigMap or Secret."
        );
    }
    const crash = containers.find(({ c }) => c.reason === "CrashLoopBackOff");
    if (crash) {
        const exit = crash.c.lastExitCode !== undefined ? ` (last exit code ${crash.c.lastExitCode})` : "";
        return `Container ${crash.c.name} keeps exiting${exit}: read why with ${logs(crash.pod.name, crash.c.name, true)}`;
    }
    const create = containers.find(({ c }) => c.reason === "CreateContainerError" || c.reason === "RunContainerError");
    if (create) {
        return `The runtime could not start container ${create.c.name}: ${create.c.message ?? create.c.reason}.`;
    }
    const failed = containers.find(({ c }) => c.state === "terminated" && c.exitCode !== undefined && c.exitCode !== 0);
    if (failed) {
        return `Container ${failed.c.name} exited with code ${failed.c.exitCode}: read its log with ${logs(failed.pod.name, failed.c.name)}`;
    }
    const unschedulable = pods.find((p) => p.conditions.some((c) => c.startsWith("PodScheduled False")));
    if (unschedulable) {
        return (
            `No node can run Pod ${unschedulable.name} (see its PodScheduled condition and events): ` +
            "check the nodes (kubectl get nodes) and the namespace's quota (kubectl describe quota)."
        );
    }
    const initRunning = containers.find(({ c }) => c.kind === "init" && c.state === "running");
    if (initRunning && !verdict.final) {
        return (
            `Init container ${initRunning.c.name} is still running (it waits initDelaySeconds, ` +
            (typeof verdict.observed.initDelaySeconds === "number"
                ? `${verdict.observed.initDelaySeconds} s as deployed): `
                : "10 s by default): ") +
            "wait a little, or give verify more time with --timeout SECONDS."
        );
    }
    const creating = containers.find(
        ({ c }) => c.reason === "ContainerCreating" || c.reason === "PodInitializing" || c.state === "not started",
    );
    if (creating && !verdict.final) {
        return (
            "The containers are still being created (an image pull can take a minute): wait, " +
            "or give verify more time with --timeout SECONDS."
        );
    }
    if (verdict.observed.linesAfter !== undefined && verdict.observed.linesAfter !== null) {
        const { logPath, intervalSeconds } = verdict.observed;
        const file = typeof logPath === "string" ? ` ${logPath}` : "";
        const every = typeof intervalSeconds === "number" ? `, a line every ${intervalSeconds} s` : "";
        return (
            `Both containers run but the sidecar prints nothing new: it tails the file${file} the main container writes${every}, ` +
            "so both must mount the shared volume at the same logPath. Compare the two containers' commands: " +
            `kubectl get pod ${pods[0]?.name} -n ${namespace} -o yaml`
        );
    }
    return `Look at the Pod's events and state: kubectl describe pod ${pods[0]?.name ?? ""} -n ${namespace}`;
}

/** The default explainer: the check's Pods, described, and one hint. */
export function explainPods(state: ObservedState, podNames: readonly string[], verdict: Verdict): Explanation {
    const pods = podNames.map((name) => podReport(state, name));
    return { pods, hint: hintFor(pods, state.namespace, verdict) };
}

/** The explanation as indented text lines, for the terminal. */
export function renderExplanation(explanation: Explanation, indent = "      "): string[] {
    const out: string[] = [];
    for (const pod of explanation.pods) {
        if (!pod.found) {
            out.push(`Pod ${pod.name}: not found`);
            continue;
        }
        // What `kubectl get pod` shows first, then what it does not: the phase and the conditions.
        const kubectl = pod.status === undefined ? "" : `${pod.status}, READY ${pod.ready}, RESTARTS ${pod.restarts}; `;
        out.push(
            `Pod ${pod.name}: ${kubectl}phase ${pod.phase ?? "unknown"}` +
                (pod.conditions.length ? "; " + pod.conditions.join(", ") : ""),
        );
        for (const c of pod.containers) {
            const what = [c.state + (c.reason ? ` (${c.reason})` : "")];
            if (c.exitCode !== undefined) what.push(`exit code ${c.exitCode}`);
            if (c.restarts > 0) what.push(`${c.restarts} restart${c.restarts === 1 ? "" : "s"}`);
            if (c.lastReason)
                what.push(
                    `last run ended: ${c.lastReason}${c.lastExitCode !== undefined ? ` (exit ${c.lastExitCode})` : ""}`,
                );
            out.push(
                `  ${c.kind === "init" ? "init container" : "container"} ${c.name}${c.image ? ` [${c.image}]` : ""}: ` +
                    what.join(", ") +
                    (c.message ? `: ${c.message}` : ""),
            );
        }
        if (pod.events.length > 0) {
            out.push("  last events:");
            for (const e of pod.events) {
                const when = e.at ? e.at.slice(11, 19) + " " : "";
                out.push(`    ${when}${e.type} ${e.reason}${e.count > 1 ? ` (x${e.count})` : ""}: ${e.message}`);
            }
        }
        for (const log of pod.logs) {
            out.push(`  last log lines of ${log.container}:${log.lines.length === 0 ? " (none)" : ""}`);
            for (const line of log.lines) out.push(`    | ${line}`);
        }
    }
    out.push(`hint: ${explanation.hint}`);
    return out.map((l) => indent + l);
}

/** Containers whose log is worth tailing for an explanation: those that have started at least once. */
export function startedContainers(pod: V1Pod | null | undefined): string[] {
    return allStatuses(pod)
        .filter((s) => s.state?.running || s.state?.terminated || s.lastState?.terminated)
        .map((s) => s.name);
}
