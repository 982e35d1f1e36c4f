import { INIT_MAIN_CONTAINER } from "../components/initDemoPod";
import { SIDECAR_CONTAINER, SIDECAR_MAIN_CONTAINER } from "../components/sidecarDemoPod";

/**
 * The lab check's judgement, as pure functions over the live Pods' status and
 * the sidecar's log: what the learner should have seen, said in plain words.
 * verify/cli.ts fetches the inputs; nothing here talks to a cluster.
 */

/** The few fields of a live Pod the checks read (a subset of the API's V1Pod). */
export interface LivePod {
    metadata?: { name?: string; creationTimestamp?: string | Date };
    spec?: {
        initContainers?: { name: string; restartPolicy?: string }[];
        containers?: { name: string }[];
    };
    status?: {
        phase?: string;
        initContainerStatuses?: LiveContainerStatus[];
        containerStatuses?: LiveContainerStatus[];
    };
}

export interface LiveContainerStatus {
    name: string;
    ready?: boolean;
    restartCount?: number;
    state?: {
        running?: { startedAt?: string | Date };
        terminated?: { exitCode?: number; reason?: string; startedAt?: string | Date; finishedAt?: string | Date };
        waiting?: { reason?: string; message?: string };
    };
}

export interface CheckResult {
    ok: boolean;
    /** One sentence a learner understands. */
    message: string;
}

const pass = (message: string): CheckResult => ({ ok: true, message });
const failure = (message: string): CheckResult => ({ ok: false, message });

function time(value: string | Date | undefined): number | undefined {
    if (value === undefined) return undefined;
    const ms = value instanceof Date ? value.getTime() : Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
}

function clock(ms: number): string {
    return new Date(ms).toISOString().slice(11, 19);
}

/** What a container is doing, for messages: "running", "waiting (ImagePullBackOff)", ... */
function describeState(status: LiveContainerStatus | undefined): string {
    if (!status?.state) return "not started";
    if (status.state.running) return "running";
    if (status.state.terminated)
        return `terminated (${status.state.terminated.reason ?? "exit " + status.state.terminated.exitCode})`;
    return `waiting (${status.state.waiting?.reason ?? "no reason given"})`;
}

/**
 * The init-container Pod: every init container ran to completion, and the main
 * container started only after the last one finished.
 */
export function checkInitPod(pod: LivePod): CheckResult[] {
    const name = pod.metadata?.name ?? "the init Pod";
    const inits = pod.status?.initContainerStatuses ?? [];
    if (inits.length === 0)
        return [failure(`${name} has no init container status yet (phase ${pod.status?.phase ?? "unknown"}).`)];
    const results: CheckResult[] = [];
    let lastFinished = 0;
    for (const init of inits) {
        const done = init.state?.terminated;
        if (!done) {
            results.push(
                failure(`${name}: init container "${init.name}" has not completed; it is ${describeState(init)}.`),
            );
            continue;
        }
        if (done.exitCode !== 0) {
            results.push(failure(`${name}: init container "${init.name}" failed with exit code ${done.exitCode}.`));
            continue;
        }
        const finished = time(done.finishedAt) ?? 0;
        lastFinished = Math.max(lastFinished, finished);
        const ran = (finished - (time(done.startedAt) ?? finished)) / 1000;
        results.push(pass(`${name}: init container "${init.name}" ran first and completed (exit 0) after ${ran} s.`));
    }
    const main = pod.status?.containerStatuses?.find((c) => c.name === INIT_MAIN_CONTAINER);
    const started = time(main?.state?.running?.startedAt ?? main?.state?.terminated?.startedAt);
    if (started === undefined) {
        results.push(failure(`${name}: the main container has not started; it is ${describeState(main)}.`));
    } else if (results.every((r) => r.ok) && started >= lastFinished) {
        results.push(
            pass(
                `${name}: the main container started at ${clock(started)}, ` +
                    `${(started - lastFinished) / 1000} s after the init container finished at ${clock(lastFinished)}.`,
            ),
        );
    } else {
        results.push(
            failure(
                `${name}: the main container started at ${clock(started)}, before the init containers had all completed.`,
            ),
        );
    }
    return results;
}

/** Where the sidecar is declared: a second regular container, or a native (restartPolicy Always) init container. */
export function sidecarMode(pod: LivePod): "classic" | "native" | undefined {
    if (pod.spec?.initContainers?.some((c) => c.name === SIDECAR_CONTAINER && c.restartPolicy === "Always")) {
        return "native";
    }
    return pod.spec?.containers?.some((c) => c.name === SIDECAR_CONTAINER) ? "classic" : undefined;
}

/** The sidecar Pod: the sidecar and the main container are both running, side by side. */
export function checkSidecarPod(pod: LivePod): CheckResult[] {
    const name = pod.metadata?.name ?? "the sidecar Pod";
    const mode = sidecarMode(pod);
    if (!mode) return [failure(`${name} has no container named "${SIDECAR_CONTAINER}".`)];
    const statuses =
        mode === "native"
            ? [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]
            : (pod.status?.containerStatuses ?? []);
    const main = statuses.find((c) => c.name === SIDECAR_MAIN_CONTAINER);
    const sidecar = statuses.find((c) => c.name === SIDECAR_CONTAINER);
    if (!main?.state?.running || !sidecar?.state?.running) {
        return [
            failure(
                `${name}: the main container is ${describeState(main)} and the sidecar is ${describeState(sidecar)}; ` +
                    "both should be running.",
            ),
        ];
    }
    const kind =
        mode === "native" ? "a native sidecar (init container with restartPolicy: Always)" : "a second container";
    const restarts = (main.restartCount ?? 0) + (sidecar.restartCount ?? 0);
    return [
        pass(
            `${name}: the main container and the sidecar (${kind}) run side by side, ` +
                `since ${clock(time(main.state.running.startedAt) ?? 0)} and ${clock(time(sidecar.state.running.startedAt) ?? 0)}` +
                (restarts > 0 ? ` (${restarts} restarts)` : "") +
                ".",
        ),
    ];
}

/**
 * The sidecar streams: its log gained lines between two reads `seconds` apart.
 * `before` and `after` are the whole log as read each time.
 */
export function checkStreaming(podName: string, before: string, after: string, seconds: number): CheckResult {
    const lines = (log: string) => log.split("\n").filter((l) => l.trim() !== "");
    const gained = lines(after).length - lines(before).length;
    if (gained <= 0) {
        return failure(
            `${podName}: the sidecar printed no new line in ${seconds} s; it should stream the main container's lines.`,
        );
    }
    const last = lines(after).at(-1);
    return pass(
        `${podName}: the sidecar is streaming: ${gained} new line${gained === 1 ? "" : "s"} in ${seconds} s (last: "${last}").`,
    );
}

/** The report, one line a check, and a closing verdict. */
export function renderReport(results: readonly CheckResult[]): string {
    const failed = results.filter((r) => !r.ok).length;
    const lines = results.map((r) => `${r.ok ? "PASS" : "FAIL"}  ${r.message}`);
    lines.push(
        failed === 0
            ? `All ${results.length} checks passed: the init container finished before the app, and the sidecar runs beside it.`
            : `${failed} of ${results.length} checks failed.`,
    );
    return lines.join("\n");
}
