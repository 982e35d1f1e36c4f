import type { V1Pod } from "@kubernetes/client-node";
import { DeployedLab } from "../components/deployed";
import { INIT_DEMO_POD_SETTINGS, INIT_MAIN_CONTAINER } from "../components/initDemoPod";
import { resolveSettings } from "../components/settings";
import { SIDECAR_CONTAINER, SIDECAR_DEMO_POD_SETTINGS, SIDECAR_MAIN_CONTAINER } from "../components/sidecarDemoPod";
import { Check, ObservedState, Verdict, clock, describeState, iso, logKey, logLines, time } from "./model";
import { isNativeSidecar, podStatus } from "./podStatus";

/**
 * The lab's four checks, as pure judges over the live Pods and the sidecar's
 * log: what the learner should have seen, said in plain words.
 */

/** The Pod names the lab's stack exported (or the defaults), and what it deployed in them when it says. */
export interface LabPods {
    initPod: string;
    sidecarPod: string;
    deployed?: DeployedLab;
}

/** What the checks expect of the Pods: what the stack deployed, else the components' defaults. */
export interface LabExpectations {
    initDelaySeconds: number;
    intervalSeconds: number;
    message: string;
    logPath: string;
}

export function labExpectations(deployed?: DeployedLab): LabExpectations {
    const init = { ...resolveSettings(INIT_DEMO_POD_SETTINGS, {}), ...deployed?.initPod };
    const sidecar = { ...resolveSettings(SIDECAR_DEMO_POD_SETTINGS, {}), ...deployed?.sidecarPod };
    return {
        initDelaySeconds: init.initDelaySeconds,
        intervalSeconds: sidecar.intervalSeconds,
        message: sidecar.message,
        logPath: sidecar.logPath,
    };
}

/** Up to this long for a Pod's image pull and start on a cold node, before its own timing counts. */
const START_SECONDS = 110;

/**
 * How long each check polls: the start, plus what the Pod itself takes: the init delay; for streaming,
 * two of the app's intervals (a new line must appear between two reads). The defaults: 120, 120, 120, 150 s.
 */
export function labTimeouts(expect: LabExpectations) {
    return {
        initCompleted: START_SECONDS + expect.initDelaySeconds,
        mainAfterInit: START_SECONDS + expect.initDelaySeconds,
        sideBySide: START_SECONDS + 10,
        streaming: START_SECONDS + 30 + 2 * expect.intervalSeconds,
    };
}

/** The waits for a lab deployed with the defaults. */
export const DEFAULT_TIMEOUTS = labTimeouts(labExpectations());

const pass = (message: string, observed: Verdict["observed"] = {}): Verdict => ({ ok: true, message, observed });
const failure = (message: string, observed: Verdict["observed"] = {}, final = false): Verdict => ({
    ok: false,
    message,
    observed,
    ...(final ? { final } : {}),
});

/** Final: after an up (even one that did not wait for Ready) the Pods exist; a missing one means the wrong place. */
const notFound = (name: string, state: ObservedState): Verdict =>
    failure(`Pod ${name} is not in namespace ${state.namespace}: has \`npm run up\` finished?`, { found: false }, true);

/** Every init container ran to completion (exit 0). */
export function judgeInitCompleted(pod: V1Pod, name: string, initDelaySeconds?: number): Verdict {
    const inits = pod.status?.initContainerStatuses ?? [];
    const phase = pod.status?.phase ?? "unknown";
    const delay: Verdict["observed"] = initDelaySeconds === undefined ? {} : { initDelaySeconds };
    if (inits.length === 0) {
        return failure(`${name} has no init container status yet (phase ${phase}).`, {
            phase,
            initContainers: 0,
            ...delay,
        });
    }
    const observed: Verdict["observed"] = { phase, initContainers: inits.length, ...delay };
    const done: string[] = [];
    for (const init of inits) {
        const terminated = init.state?.terminated;
        observed[`${init.name}.state`] = describeState(init.state);
        if (!terminated) {
            return failure(
                `${name}: init container "${init.name}" has not completed; it is ${describeState(init.state)}.`,
                observed,
            );
        }
        observed[`${init.name}.exitCode`] = terminated.exitCode;
        if (terminated.exitCode !== 0) {
            return failure(
                `${name}: init container "${init.name}" failed with exit code ${terminated.exitCode}.`,
                observed,
            );
        }
        const finished = time(terminated.finishedAt);
        observed[`${init.name}.finishedAt`] = iso(finished);
        const ran = ((finished ?? 0) - (time(terminated.startedAt) ?? finished ?? 0)) / 1000;
        done.push(`"${init.name}" ran first and completed (exit 0) after ${ran} s`);
    }
    const plural = done.length === 1 ? "init container" : "init containers";
    const deployedDelay = initDelaySeconds === undefined ? "" : ` (deployed with initDelaySeconds ${initDelaySeconds})`;
    return pass(`${name}: ${plural} ${done.join("; ")}${deployedDelay}.`, observed);
}

/** The main container started only after the last init container finished. */
export function judgeMainAfterInit(pod: V1Pod, name: string): Verdict {
    const inits = pod.status?.initContainerStatuses ?? [];
    const main = pod.status?.containerStatuses?.find((c) => c.name === INIT_MAIN_CONTAINER);
    const started = time(main?.state?.running?.startedAt ?? main?.state?.terminated?.startedAt);
    const finishes = inits.map((i) => time(i.state?.terminated?.finishedAt));
    const allDone = inits.length > 0 && finishes.every((f) => f !== undefined);
    const lastFinished = allDone ? Math.max(...(finishes as number[])) : undefined;
    const observed = {
        mainState: describeState(main?.state),
        mainStartedAt: iso(started),
        initFinishedAt: iso(lastFinished),
    };
    if (started === undefined) {
        return failure(`${name}: the main container has not started; it is ${describeState(main?.state)}.`, observed);
    }
    if (lastFinished !== undefined && started >= lastFinished) {
        return pass(
            `${name}: the main container started at ${clock(started)}, ` +
                `${(started - lastFinished) / 1000} s after the init container finished at ${clock(lastFinished)}.`,
            observed,
        );
    }
    // Started while an init container had not finished: the order is wrong for good.
    return failure(
        `${name}: the main container started at ${clock(started)}, before the init containers had all completed.`,
        observed,
        true,
    );
}

/** Where the sidecar is declared: a second regular container, or a native (restartPolicy Always) init container. */
export function sidecarMode(pod: V1Pod): "classic" | "native" | undefined {
    if (isNativeSidecar(pod, SIDECAR_CONTAINER)) return "native";
    return pod.spec?.containers?.some((c) => c.name === SIDECAR_CONTAINER) ? "classic" : undefined;
}

/** The sidecar and the main container are both running, side by side. */
export function judgeSideBySide(pod: V1Pod, name: string): Verdict {
    const mode = sidecarMode(pod);
    if (!mode) return failure(`${name} has no container named "${SIDECAR_CONTAINER}".`, { mode: null }, true);
    const statuses =
        mode === "native"
            ? [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]
            : (pod.status?.containerStatuses ?? []);
    const main = statuses.find((c) => c.name === SIDECAR_MAIN_CONTAINER);
    const sidecar = statuses.find((c) => c.name === SIDECAR_CONTAINER);
    // As kubectl's RESTARTS column counts them (the app's and a native sidecar's).
    const { restarts } = podStatus(pod);
    const observed = {
        mode,
        mainState: describeState(main?.state),
        sidecarState: describeState(sidecar?.state),
        restarts,
    };
    if (!main?.state?.running || !sidecar?.state?.running) {
        return failure(
            `${name}: the main container is ${describeState(main?.state)} and the sidecar is ${describeState(sidecar?.state)}; ` +
                "both should be running.",
            observed,
        );
    }
    const kind =
        mode === "native" ? "a native sidecar (init container with restartPolicy: Always)" : "a second container";
    return pass(
        `${name}: the main container and the sidecar (${kind}) run side by side, ` +
            `since ${clock(main.state.running.startedAt)} and ${clock(sidecar.state.running.startedAt)}` +
            (restarts > 0 ? ` (${restarts} restarts)` : "") +
            ".",
        observed,
    );
}

/**
 * The sidecar streams: its log gained lines between the first read and the latest, and the last one is the
 * message the app was deployed to write (`expect`; without it, any line).
 */
export function judgeStreaming(
    state: ObservedState,
    podName: string,
    expect?: Pick<LabExpectations, "message" | "logPath" | "intervalSeconds">,
): Verdict {
    const deployed: Verdict["observed"] = expect
        ? { message: expect.message, logPath: expect.logPath, intervalSeconds: expect.intervalSeconds }
        : {};
    const samples = state.logs[logKey({ pod: podName, container: SIDECAR_CONTAINER })];
    if (!samples) {
        return failure(`${podName}: the sidecar's log could not be read yet (the sidecar has not started).`, {
            linesBefore: null,
            linesAfter: null,
            ...deployed,
        });
    }
    const before = logLines(samples.first.text);
    const after = logLines(samples.latest.text);
    const seconds = Math.round((samples.latest.at - samples.first.at) / 1000);
    const observed = { linesBefore: before.length, linesAfter: after.length, secondsWatched: seconds, ...deployed };
    const gained = after.length - before.length;
    const every = expect ? ` (the app writes every ${expect.intervalSeconds} s)` : "";
    if (gained <= 0) {
        return failure(
            `${podName}: the sidecar printed no new line in ${seconds} s${every}; it should stream the main container's lines.`,
            observed,
        );
    }
    const last = after.at(-1) ?? "";
    if (expect && last !== expect.message) {
        return failure(
            `${podName}: the sidecar streams lines, but its last is "${last}", not the deployed message "${expect.message}".`,
            observed,
        );
    }
    const from = expect ? ` ${expect.logPath}` : "";
    return pass(
        `${podName}: the sidecar is streaming${from}: ${gained} new line${gained === 1 ? "" : "s"} in ${seconds} s ` +
            `(last: "${last}")${every}.`,
        observed,
    );
}

/** A judge of one Pod, or "not found" when the Pod is missing. */
function onPod(name: string, judge: (pod: V1Pod, name: string) => Verdict) {
    return (state: ObservedState): Verdict => {
        const pod = state.pods[name];
        return pod ? judge(pod, name) : notFound(name, state);
    };
}

/** The lab's checks, for the Pods the stack made, expecting and waiting for what it deployed in them. */
export function labChecks(pods: LabPods): Check[] {
    const expect = labExpectations(pods.deployed);
    // Looking once, the log's timestamps over two of the app's intervals stand in for two reads.
    const streamingLog = {
        pod: pods.sidecarPod,
        container: SIDECAR_CONTAINER,
        lookBackSeconds: 2 * expect.intervalSeconds,
    };
    const timeouts = labTimeouts(expect);
    return [
        {
            id: "init-pod.init-completed",
            description: "The init container runs first and completes (exit 0).",
            timeoutSeconds: timeouts.initCompleted,
            pods: [pods.initPod],
            judge: onPod(pods.initPod, (pod, name) => judgeInitCompleted(pod, name, expect.initDelaySeconds)),
        },
        {
            id: "init-pod.main-after-init",
            description: "The main container starts only after the init container finished.",
            timeoutSeconds: timeouts.mainAfterInit,
            pods: [pods.initPod],
            judge: onPod(pods.initPod, judgeMainAfterInit),
        },
        {
            id: "sidecar-pod.side-by-side",
            description: "The sidecar and the main container run side by side.",
            timeoutSeconds: timeouts.sideBySide,
            pods: [pods.sidecarPod],
            judge: onPod(pods.sidecarPod, judgeSideBySide),
        },
        {
            id: "sidecar-pod.streaming",
            description: "The sidecar streams the main container's log lines.",
            timeoutSeconds: timeouts.streaming,
            pods: [pods.sidecarPod],
            logs: [streamingLog],
            judge: (state) => {
                const pod = state.pods[pods.sidecarPod];
                if (!pod) return notFound(pods.sidecarPod, state);
                // Streaming means nothing until both containers run; say that first.
                const running = judgeSideBySide(pod, pods.sidecarPod);
                return running.ok ? judgeStreaming(state, pods.sidecarPod, expect) : running;
            },
        },
    ];
}
