import type { V1ContainerState, V1ContainerStatus, V1Job, V1Pod } from "@kubernetes/client-node";
import { FAILING_INIT_MAIN, FAILING_INIT_STEP } from "../components/lessons/failingInit";
import { ADAPTER_APP, ADAPTER_SIDECAR } from "../components/lessons/logAdapter";
import { METRICS_SIDECAR, METRIC_NAME } from "../components/lessons/metricsExporter";
import { STAGE_STEP, STAGE_WEB, stagedBySentence } from "../components/lessons/stageFiles";
import { WAIT_MAIN, WAIT_STEP } from "../components/lessons/waitForService";
import { NATIVE_APP_CONTAINER, NATIVE_SIDECAR_CONTAINER } from "../components/lessons/nativeSidecar";
import { allStatuses, clock as hhmmss, time as millis } from "./model";

/**
 * The lessons' judges: pure functions from what the API server shows (Pods, Jobs,
 * logs, a scraped page) to a verdict in plain words. verify/lessonsLive.ts fetches
 * the inputs; nothing here talks to a cluster. Each lesson has a few expected states
 * (lesson failing-init: "failing" or "fixed"); any of them passes, anything else
 * fails and says what is seen instead.
 */

export interface LessonVerdict {
    status: "pass" | "fail";
    /** The state the lesson is in, one word: "failing", "fixed", "waiting", "started", ... */
    state: string;
    /** One or two sentences a learner understands. */
    message: string;
}

const pass = (state: string, message: string): LessonVerdict => ({ status: "pass", state, message });
const fail = (state: string, message: string): LessonVerdict => ({ status: "fail", state, message });

/** HH:MM:SS of an API time, for messages (model.ts's clock, for a time that may be missing). */
export function clock(value: Date | string | undefined): string {
    const ms = millis(value);
    return ms === undefined ? "an unknown time" : hhmmss(ms);
}

function seconds(ms: number): string {
    return `${Math.round(ms / 100) / 10} s`;
}

function plural(n: number, word: string): string {
    return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** What a container is doing, in kubectl's words: "running", "waiting (CrashLoopBackOff)", "terminated (exit 1)". */
export function describeState(state: V1ContainerState | undefined): string {
    if (state?.running) return "running";
    if (state?.terminated) return `terminated (exit ${state.terminated.exitCode})`;
    if (state?.waiting) return `waiting (${state.waiting.reason ?? "no reason given"})`;
    return "not started";
}

/** The status kubectl prints in its STATUS column for a Pod still in its init steps, else the phase. */
export function podStatusText(pod: V1Pod): string {
    const inits = pod.status?.initContainerStatuses ?? [];
    const regularInits = inits.filter((s) => !isNativeSidecar(pod, s.name));
    for (const [i, s] of regularInits.entries()) {
        const t = s.state?.terminated;
        if (t && t.exitCode === 0) continue;
        if (t) return t.reason && t.reason !== "Error" ? `Init:${t.reason}` : "Init:Error";
        const reason = s.state?.waiting?.reason;
        if (reason && reason !== "PodInitializing") return `Init:${reason}`;
        return `Init:${i}/${regularInits.length}`;
    }
    return pod.status?.phase ?? "Unknown";
}

function isNativeSidecar(pod: V1Pod, container: string): boolean {
    return pod.spec?.initContainers?.some((c) => c.name === container && c.restartPolicy === "Always") ?? false;
}

function statusOf(pod: V1Pod, container: string): V1ContainerStatus | undefined {
    return allStatuses(pod).find((s) => s.name === container);
}

/** Whether a container ever ran: running now, finished, or restarted. */
function everStarted(status: V1ContainerStatus | undefined): boolean {
    return !!(status?.state?.running || status?.state?.terminated || status?.lastState?.terminated);
}

/** The last non-empty line of a log or termination message. */
function lastLine(text: string | undefined): string | undefined {
    return text
        ?.split("\n")
        .map((l) => l.trim())
        .filter((l) => l !== "")
        .at(-1);
}

/** An init step completed and the main container has not started yet: worth another look soon. */
const mainNotStarted = (podName: string, step: string, main: V1ContainerStatus | undefined): LessonVerdict =>
    fail(
        "starting",
        `Pod ${podName}: the init step "${step}" completed, but the main container is ` +
            `${describeState(main?.state)}; it should start within seconds.`,
    );

const missing = (kind: string, name: string): LessonVerdict =>
    fail("missing", `${kind} ${name} does not exist: has \`npm run up\` finished with this lesson selected?`);

// --- lesson failing-init -----------------------------------------------------------------------

/**
 * failing-init: "failing" (the step exits non-zero, the kubelet retries it with growing
 * back-off, which `backOffEvents` counts (reason BackOff), the main container never started) or "fixed" (the step completed after the
 * learner created the ConfigMap, and the main container runs).
 */
export function judgeFailingInit(pod: V1Pod | undefined, podName: string, backOffEvents = 0): LessonVerdict {
    if (!pod) return missing("Pod", podName);
    const step = statusOf(pod, FAILING_INIT_STEP);
    const main = statusOf(pod, FAILING_INIT_MAIN);
    const restarts = step?.restartCount ?? 0;
    const done = step?.state?.terminated;
    if (done?.exitCode === 0) {
        const started = main?.state?.running?.startedAt;
        if (!started) return mainNotStarted(podName, FAILING_INIT_STEP, main);
        return pass(
            "fixed",
            `Pod ${podName}: the init step "${FAILING_INIT_STEP}" completed after ${plural(restarts, "failed run")}, ` +
                `and the main container started at ${clock(started)}: the fix worked, the same Pod went on.`,
        );
    }
    const failed = done && done.exitCode !== 0 ? done : step?.lastState?.terminated;
    if (!failed || failed.exitCode === 0) {
        return fail(
            "starting",
            `Pod ${podName} (${podStatusText(pod)}): the init step "${FAILING_INIT_STEP}" is ` +
                `${describeState(step?.state)} and has not failed yet; run verify again in a few seconds.`,
        );
    }
    if (everStarted(main)) {
        return fail(
            "broken",
            `Pod ${podName}: the main container started although the init step "${FAILING_INIT_STEP}" failed; ` +
                "Kubernetes should have held it back.",
        );
    }
    const line = lastLine(failed.message);
    return pass(
        "failing",
        `Pod ${podName} is ${podStatusText(pod)}: the init step "${FAILING_INIT_STEP}" exited with code ` +
            `${failed.exitCode}${line ? ` ("${line}")` : ""}, ${plural(restarts, "restart")} so far` +
            // Between two retries the Pod shows Init:CrashLoopBackOff; the events keep the count.
            (backOffEvents > 0
                ? ` with the kubelet backing off ${plural(backOffEvents, "time")} (Init:CrashLoopBackOff)`
                : "") +
            ", and the main " +
            "container never started. That is the lesson: an init step must complete. Run the lesson's `fix` command to fix it.",
    );
}

// --- lesson wait-for-service -------------------------------------------------------------------

/**
 * wait-for-service: "waiting" (the init step keeps looking the Service up, the main
 * container has not started) or "started" (the step completed once the Service
 * existed, and the main container runs).
 */
export function judgeWaitForService(
    pod: V1Pod | undefined,
    podName: string,
    service: { name: string; exists: boolean },
    stepLog: string | undefined,
): LessonVerdict {
    if (!pod) return missing("Pod", podName);
    const step = statusOf(pod, WAIT_STEP);
    const main = statusOf(pod, WAIT_MAIN);
    const done = step?.state?.terminated;
    if (done?.exitCode === 0) {
        const started = main?.state?.running?.startedAt;
        if (!started) return mainNotStarted(podName, WAIT_STEP, main);
        return pass(
            "started",
            `Pod ${podName}: the init step "${WAIT_STEP}" found Service ${service.name} and completed at ` +
                `${clock(done.finishedAt)}; the main container started at ${clock(started)}.`,
        );
    }
    if (step?.state?.running && !everStarted(main)) {
        const line = lastLine(stepLog);
        return pass(
            "waiting",
            `Pod ${podName} is ${podStatusText(pod)}: the init step "${WAIT_STEP}" keeps looking up Service ` +
                `${service.name}${line ? ` ("${line}")` : ""} and the main container waits. ` +
                (service.exists
                    ? "The Service exists now: the next lookup should find it."
                    : "Run the lesson's `createService` command and watch the Pod start."),
        );
    }
    if (done || step?.lastState?.terminated) {
        return fail(
            "broken",
            `Pod ${podName}: the init step "${WAIT_STEP}" ended with exit code ${(done ?? step?.lastState?.terminated)?.exitCode}; ` +
                "it should loop until the Service resolves.",
        );
    }
    return fail(
        "starting",
        `Pod ${podName} (${podStatusText(pod)}): the init step "${WAIT_STEP}" is ${describeState(step?.state)}.`,
    );
}

// --- lesson stage-files -------------------------------------------------------------------------

/** A page read through the API server's Pod proxy, or why it could not be. */
export type Fetched = { ok: true; body: string } | { ok: false; error: string };

/**
 * stage-files: "served" when the init step completed before the web server started,
 * and the page the server returns is the one the init step wrote in this Pod.
 */
export function judgeStageFiles(pod: V1Pod | undefined, podName: string, page: Fetched | undefined): LessonVerdict {
    if (!pod) return missing("Pod", podName);
    const step = statusOf(pod, STAGE_STEP);
    const web = statusOf(pod, STAGE_WEB);
    const done = step?.state?.terminated;
    const webStarted = web?.state?.running?.startedAt;
    if (done?.exitCode !== 0 || !webStarted || !web?.ready || !page) {
        return fail(
            "starting",
            `Pod ${podName} (${podStatusText(pod)}): the init step "${STAGE_STEP}" is ${describeState(step?.state)} ` +
                `and the web server is ${describeState(web?.state)}${web?.ready ? "" : ", not Ready"}.`,
        );
    }
    if (!page.ok) return fail("unreachable", `Pod ${podName}: the page could not be read: ${page.error}`);
    const sentence = stagedBySentence(podName);
    if (!page.body.includes(sentence)) {
        return fail(
            "wrong-page",
            `Pod ${podName}: the page does not say "${sentence}"; got "${page.body.trim().slice(0, 120)}".`,
        );
    }
    const when = /at (\d{4}-\d\d-\d\dT[\d:]+Z)/.exec(page.body)?.[1];
    return pass(
        "served",
        `Pod ${podName}: the web server, started at ${clock(webStarted)}, serves the page the init step ` +
            `"${STAGE_STEP}" wrote into the shared emptyDir${when ? ` at ${when.slice(11, 19)}` : ""} and finished at ` +
            `${clock(done.finishedAt)}: "${sentence}".`,
    );
}

// --- lesson log-adapter --------------------------------------------------------------------------

/** One adapted line, or why a line is not one. */
function parseAdaptedLine(line: string): { time: number; message: string } | string {
    let value: unknown;
    try {
        value = JSON.parse(line);
    } catch {
        return `not JSON: ${line.slice(0, 80)}`;
    }
    const record = value as { time?: unknown; message?: unknown };
    if (typeof record !== "object" || record === null) return `not a JSON object: ${line.slice(0, 80)}`;
    const time =
        typeof record.time === "string" && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(record.time)
            ? millis(record.time)
            : undefined;
    if (time === undefined) return `no UTC "time" like 2026-01-31T10:00:00Z: ${line.slice(0, 80)}`;
    if (typeof record.message !== "string" || record.message === "") return `no "message": ${line.slice(0, 80)}`;
    return { time, message: record.message };
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * log-adapter: "adapting" when the sidecar's recent lines are each one JSON object with a
 * UTC timestamp and the app's message, one about every `intervalSeconds` (the timestamps
 * have whole seconds, so the median gap may be off by one).
 */
export function judgeLogAdapter(
    pod: V1Pod | undefined,
    podName: string,
    sidecarLog: string | undefined,
    intervalSeconds: number,
): LessonVerdict {
    if (!pod) return missing("Pod", podName);
    const app = statusOf(pod, ADAPTER_APP);
    const sidecar = statusOf(pod, ADAPTER_SIDECAR);
    if (!app?.state?.running || !sidecar?.state?.running || sidecarLog === undefined) {
        return fail(
            "starting",
            `Pod ${podName}: the app is ${describeState(app?.state)} and the adapter is ${describeState(sidecar?.state)}.`,
        );
    }
    const lines = sidecarLog.split("\n").filter((l) => l.trim() !== "");
    if (lines.length < 3) {
        return fail(
            "starting",
            `Pod ${podName}: the adapter printed ${plural(lines.length, "line")} so far; verify needs 3.`,
        );
    }
    const parsed = lines.map(parseAdaptedLine);
    const bad = parsed.find((p): p is string => typeof p === "string");
    if (bad !== undefined) return fail("wrong-format", `Pod ${podName}: an adapter line is ${bad}`);
    const records = parsed as { time: number; message: string }[];
    const gaps = records.slice(1).map((r, i) => (r.time - records[i].time) / 1000);
    const gap = median(gaps);
    if (Math.abs(gap - intervalSeconds) > 1) {
        return fail(
            "wrong-cadence",
            `Pod ${podName}: the adapted lines come every ${gap} s (median), but the app writes one every ${intervalSeconds} s.`,
        );
    }
    return pass(
        "adapting",
        `Pod ${podName}: the sidecar "${ADAPTER_SIDECAR}" turns each of the app's lines into one JSON object with a ` +
            `UTC time, one every ${gap} s as the app writes them (last: ${lines.at(-1)}).`,
    );
}

// --- lesson metrics-exporter ---------------------------------------------------------------------

/** The value of a counter in Prometheus text format, or why there is none. */
export function parseCounter(text: string, name: string): number | string {
    if (!new RegExp(`^# TYPE ${name} counter$`, "m").test(text)) return `no "# TYPE ${name} counter" line`;
    const sample = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)`, "m").exec(text);
    const value = sample ? Number(sample[1]) : NaN;
    return Number.isFinite(value) ? value : `no numeric ${name} sample`;
}

/**
 * metrics-exporter: "counting" when two scrapes `secondsApart` show the counter of the
 * app's lines, in Prometheus text format, and the second is larger.
 */
export function judgeMetricsExporter(
    pod: V1Pod | undefined,
    podName: string,
    scrapes: [Fetched, Fetched] | undefined,
    secondsApart: number,
): LessonVerdict {
    if (!pod) return missing("Pod", podName);
    const sidecar = statusOf(pod, METRICS_SIDECAR);
    if (!sidecar?.ready) {
        return fail("starting", `Pod ${podName}: the exporter is ${describeState(sidecar?.state)}, not Ready.`);
    }
    if (!scrapes) {
        return fail(
            "starting",
            `Pod ${podName}: the exporter is Ready; verify scrapes it again a few seconds later to see the count grow.`,
        );
    }
    const values: number[] = [];
    for (const scrape of scrapes) {
        if (!scrape.ok) return fail("unreachable", `Pod ${podName}: the metrics could not be scraped: ${scrape.error}`);
        const value = parseCounter(scrape.body, METRIC_NAME);
        if (typeof value === "string") return fail("wrong-format", `Pod ${podName}: the scrape has ${value}.`);
        values.push(value);
    }
    const [first, second] = values;
    if (second <= first) {
        return fail(
            "not-counting",
            `Pod ${podName}: ${METRIC_NAME} stayed at ${first} over ${secondsApart} s; it should grow with the app's lines.`,
        );
    }
    return pass(
        "counting",
        `Pod ${podName}: the sidecar "${METRICS_SIDECAR}" serves ${METRIC_NAME} in Prometheus text format; ` +
            `two scrapes ${secondsApart} s apart read ${first}, then ${second}.`,
    );
}

// --- lesson native-sidecar ---------------------------------------------------------------------

/** A Job as verify reads it: the Job and the Pods its controller made, newest last. */
export interface ObservedJob {
    name: string;
    job: V1Job | undefined;
    pods: V1Pod[];
}

function jobCondition(job: V1Job | undefined, type: string): boolean {
    return job?.status?.conditions?.some((c) => c.type === type && c.status === "True") ?? false;
}

function startedAt(status: V1ContainerStatus | undefined): number | undefined {
    return millis(status?.state?.running?.startedAt ?? status?.state?.terminated?.startedAt);
}

type Finding = { ok: true; text: string } | { ok: false; transient: boolean; text: string };

/** The classic Job: the app exited 0, the sidecar keeps the Pod running, so the Job is not complete. */
function classicFinding(observed: ObservedJob, now: number): Finding {
    const { name, job } = observed;
    const pod = observed.pods.at(-1);
    if (!job) return { ok: false, transient: false, text: `Job ${name} does not exist` };
    if (jobCondition(job, "Complete")) {
        return {
            ok: false,
            transient: false,
            text: `Job ${name} completed, although its classic sidecar should keep it running`,
        };
    }
    const app = pod && statusOf(pod, NATIVE_APP_CONTAINER);
    const sidecar = pod && statusOf(pod, NATIVE_SIDECAR_CONTAINER);
    const exited = app?.state?.terminated;
    if (!exited) {
        return {
            ok: false,
            transient: true,
            text: `in Job ${name} the app is ${describeState(app?.state)}; it exits after its few lines`,
        };
    }
    if (exited.exitCode !== 0) {
        return { ok: false, transient: false, text: `in Job ${name} the app failed with exit code ${exited.exitCode}` };
    }
    if (!sidecar?.state?.running) {
        return {
            ok: false,
            transient: false,
            text: `in Job ${name} the classic sidecar is ${describeState(sidecar?.state)}, not running`,
        };
    }
    const since = millis(exited.finishedAt);
    return {
        ok: true,
        text:
            `Classic: the app and the sidecar started together (${seconds(Math.abs((startedAt(app) ?? 0) - (startedAt(sidecar) ?? 0)))} apart); ` +
            `the app exited 0 at ${clock(exited.finishedAt)}, but the sidecar still runs, so Job ${name} is not complete` +
            (since === undefined ? "" : ` ${seconds(now - since)} later`) +
            " and never will be.",
    };
}

/** The native Job: the sidecar ran before the app, was stopped after it, and the Job completed. */
function nativeFinding(observed: ObservedJob): Finding {
    const { name, job } = observed;
    const pod = observed.pods.at(-1);
    if (!job) return { ok: false, transient: false, text: `Job ${name} does not exist` };
    if (jobCondition(job, "Failed")) return { ok: false, transient: false, text: `Job ${name} failed` };
    const app = pod && statusOf(pod, NATIVE_APP_CONTAINER);
    const sidecar = pod && statusOf(pod, NATIVE_SIDECAR_CONTAINER);
    if (!jobCondition(job, "Complete")) {
        const stuck =
            sidecar?.state?.running && !everStarted(app) && pod && !isNativeSidecar(pod, NATIVE_SIDECAR_CONTAINER);
        return {
            ok: false,
            transient: !stuck,
            text: stuck
                ? `in Job ${name} the sidecar runs as a plain init container and the app never starts: this cluster does not support native sidecars (Kubernetes 1.29+)`
                : `Job ${name} is not complete yet (the app is ${describeState(app?.state)})`,
        };
    }
    const sidecarStart = startedAt(sidecar);
    const appStart = startedAt(app);
    const appEnd = millis(app?.state?.terminated?.finishedAt);
    const sidecarEnd = millis(sidecar?.state?.terminated?.finishedAt);
    if (sidecarStart === undefined || appStart === undefined || appEnd === undefined) {
        return {
            ok: false,
            transient: false,
            text: `Job ${name} completed, but its Pod's container timestamps are missing`,
        };
    }
    if (sidecarStart > appStart) {
        return { ok: false, transient: false, text: `in Job ${name} the app started before the native sidecar` };
    }
    const stopped =
        sidecarEnd === undefined
            ? "the sidecar was stopped after it"
            : sidecarEnd >= appEnd
              ? `the sidecar was stopped after it, at ${hhmmss(sidecarEnd)}`
              : undefined;
    if (stopped === undefined) {
        return { ok: false, transient: false, text: `in Job ${name} the native sidecar stopped before the app exited` };
    }
    return {
        ok: true,
        text:
            `Native: the sidecar started at ${hhmmss(sidecarStart)}, ${seconds(appStart - sidecarStart)} before the app; ` +
            `the app exited at ${hhmmss(appEnd)}, ${stopped}, and Job ${name} completed at ${clock(job.status?.completionTime)}.`,
    };
}

/**
 * native-sidecar: "shown" when both Jobs show the difference (classic: never completes;
 * native: sidecar first, stopped after the app, Job complete); "running" while a Job's app
 * still writes its lines.
 */
export function judgeNativeSidecar(classic: ObservedJob, native: ObservedJob, now: number): LessonVerdict {
    const findings = [classicFinding(classic, now), nativeFinding(native)];
    const text = findings.map((f) => f.text).join(" ");
    if (findings.every((f) => f.ok)) return pass("shown", text);
    const missingJob = [classic, native].find((o) => !o.job);
    if (missingJob) return missing("Job", missingJob.name);
    const problems = findings.filter((f) => !f.ok);
    const transient = problems.every((f) => !f.ok && f.transient);
    return fail(transient ? "running" : "broken", problems.map((f) => f.text).join("; ") + ".");
}
