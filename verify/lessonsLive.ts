import { PassThrough } from "stream";
import * as k8s from "@kubernetes/client-node";
import { FAILING_INIT_POD } from "../components/lessons/failingInit";
import { LESSON_NAMES, LessonName } from "../components/lessons";
import type { CheckResult } from "./checks";
import {
    Fetched,
    LessonVerdict,
    ObservedJob,
    judgeFailingInit,
    judgeLogAdapter,
    judgeMetricsExporter,
    judgeNativeSidecar,
    judgeStageFiles,
    judgeWaitForService,
} from "./lessons";
import { ADAPTER_POD, ADAPTER_SIDECAR, LOG_ADAPTER_SETTINGS } from "../components/lessons/logAdapter";
import {
    METRICS_EXPORTER_SETTINGS,
    METRICS_PATH,
    METRICS_POD,
    METRICS_SIDECAR,
} from "../components/lessons/metricsExporter";
import { STAGE_FILES_SETTINGS, STAGE_POD, STAGE_WEB } from "../components/lessons/stageFiles";
import { WAIT_FOR_SERVICE_SETTINGS, WAIT_POD, WAIT_STEP } from "../components/lessons/waitForService";
import { CLASSIC_JOB, NATIVE_JOB } from "../components/lessons/nativeSidecar";

/**
 * `npm run verify` for the lessons a stack deployed: reads what each lesson's judge
 * (verify/lessons.ts) needs from the API server, and re-reads for a while when a
 * lesson is between two of its expected states (a Pod still starting, a Job still running).
 */

/** What the judges may read; one client per run. */
export class LiveReader {
    private readonly core: k8s.CoreV1Api;
    private readonly batch: k8s.BatchV1Api;
    private readonly exec: k8s.Exec;

    constructor(
        kubeConfig: k8s.KubeConfig,
        readonly namespace: string,
    ) {
        this.core = kubeConfig.makeApiClient(k8s.CoreV1Api);
        this.batch = kubeConfig.makeApiClient(k8s.BatchV1Api);
        this.exec = new k8s.Exec(kubeConfig);
    }

    pod(name: string): Promise<k8s.V1Pod | undefined> {
        return orMissing(this.core.readNamespacedPod({ name, namespace: this.namespace }));
    }

    service(name: string): Promise<k8s.V1Service | undefined> {
        return orMissing(this.core.readNamespacedService({ name, namespace: this.namespace }));
    }

    job(name: string): Promise<k8s.V1Job | undefined> {
        return orMissing(this.batch.readNamespacedJob({ name, namespace: this.namespace }));
    }

    /** The Pods the Job controller made for a Job, oldest first. */
    async podsOfJob(job: string): Promise<k8s.V1Pod[]> {
        const list = await this.core.listNamespacedPod({ namespace: this.namespace, labelSelector: `job-name=${job}` });
        return list.items.sort(
            (a, b) => (a.metadata?.creationTimestamp?.getTime() ?? 0) - (b.metadata?.creationTimestamp?.getTime() ?? 0),
        );
    }

    /** How many times the API server recorded an event with this reason about the object. */
    async eventCount(name: string, reason: string): Promise<number> {
        const events = await this.core.listNamespacedEvent({
            namespace: this.namespace,
            fieldSelector: `involvedObject.name=${name},reason=${reason}`,
        });
        return events.items.reduce((sum, e) => sum + (e.count ?? 1), 0);
    }

    async observeJob(name: string): Promise<ObservedJob> {
        return { name, job: await this.job(name), pods: await this.podsOfJob(name) };
    }

    log(pod: string, container: string, tailLines?: number): Promise<string> {
        return this.core.readNamespacedPodLog({ name: pod, namespace: this.namespace, container, tailLines });
    }

    /**
     * A page from a Pod's port: through the API server's Pod proxy, else from inside the
     * container (where the API server cannot reach Pod IPs); a failure said in words.
     */
    async fetch(pod: string, container: string, port: number, path: string): Promise<Fetched> {
        let proxyError: string;
        try {
            return { ok: true, body: await this.proxy(pod, port, path) };
        } catch (err) {
            proxyError = err instanceof k8s.ApiException ? `HTTP ${err.code}` : String(err);
        }
        try {
            return { ok: true, body: await this.execGet(pod, container, port, path) };
        } catch (err) {
            return { ok: false, error: `through the Pod proxy: ${proxyError}; from inside the Pod: ${String(err)}` };
        }
    }

    /** GET on a Pod's port through the API server's proxy: no port-forward, no exec. */
    proxy(pod: string, port: number, path: string): Promise<string> {
        return this.core.connectGetNamespacedPodProxyWithPath({
            name: `${pod}:${port}`,
            namespace: this.namespace,
            path,
        });
    }

    /** GET on a Pod's port from inside one of its containers: `kubectl exec ... wget`. */
    async execGet(pod: string, container: string, port: number, path: string): Promise<string> {
        let out = "";
        let err = "";
        const stdout = new PassThrough().on("data", (d: Buffer) => (out += d.toString()));
        const stderr = new PassThrough().on("data", (d: Buffer) => (err += d.toString()));
        const command = ["sh", "-c", `wget -q -O- http://127.0.0.1:${port}/${path}`];
        await new Promise<void>((resolve, reject) => {
            this.exec
                .exec(this.namespace, pod, container, command, stdout, stderr, null, false, (status) =>
                    status.status === "Success"
                        ? resolve()
                        : reject(new Error(`${status.message ?? "wget failed"} ${err.trim()}`.trim())),
                )
                .catch(reject);
        });
        return out;
    }
}

async function orMissing<T>(read: Promise<T>): Promise<T | undefined> {
    try {
        return await read;
    } catch (err) {
        if (err instanceof k8s.ApiException && err.code === 404) return undefined;
        throw err;
    }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the lessons' checks read; tests pass a fake. */
export type LessonReader = Pick<LiveReader, "pod" | "service" | "observeJob" | "log" | "fetch" | "eventCount">;

/** Each lesson's check: read, then judge. */
export const LESSON_CHECKS: Record<LessonName, (live: LessonReader) => Promise<LessonVerdict>> = {
    "failing-init": async (live) =>
        judgeFailingInit(
            await live.pod(FAILING_INIT_POD),
            FAILING_INIT_POD,
            await live.eventCount(FAILING_INIT_POD, "BackOff"),
        ),
    "wait-for-service": async (live) => {
        const service = WAIT_FOR_SERVICE_SETTINGS.serviceName.default;
        const pod = await live.pod(WAIT_POD);
        const exists = (await live.service(service)) !== undefined;
        // Only while the step runs: its log says what it is waiting for.
        const log = pod?.status?.initContainerStatuses?.[0]?.state?.running
            ? await live.log(WAIT_POD, WAIT_STEP, 1)
            : undefined;
        return judgeWaitForService(pod, WAIT_POD, { name: service, exists }, log);
    },
    "stage-files": async (live) => {
        const pod = await live.pod(STAGE_POD);
        const ready = pod?.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True");
        const page = ready
            ? await live.fetch(STAGE_POD, STAGE_WEB, STAGE_FILES_SETTINGS.port.default, "index.html")
            : undefined;
        return judgeStageFiles(pod, STAGE_POD, page);
    },
    "log-adapter": async (live) => {
        const pod = await live.pod(ADAPTER_POD);
        const running = pod?.status?.containerStatuses?.every((c) => c.state?.running);
        const log = running ? await live.log(ADAPTER_POD, ADAPTER_SIDECAR, 6) : undefined;
        return judgeLogAdapter(pod, ADAPTER_POD, log, LOG_ADAPTER_SETTINGS.intervalSeconds.default);
    },
    "metrics-exporter": async (live) => {
        const pod = await live.pod(METRICS_POD);
        const { port, intervalSeconds } = METRICS_EXPORTER_SETTINGS;
        const apart = intervalSeconds.default + 1;
        const ready = pod?.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True");
        let scrapes: [Fetched, Fetched] | undefined;
        if (ready) {
            const first = await live.fetch(METRICS_POD, METRICS_SIDECAR, port.default, METRICS_PATH);
            await sleep(apart * 1000);
            scrapes = [first, await live.fetch(METRICS_POD, METRICS_SIDECAR, port.default, METRICS_PATH)];
        }
        return judgeMetricsExporter(pod, METRICS_POD, scrapes, apart);
    },
    "native-sidecar": async (live) =>
        judgeNativeSidecar(await live.observeJob(CLASSIC_JOB), await live.observeJob(NATIVE_JOB), Date.now()),
};

/** One verify line per lesson, re-judged every `pollMs` for up to `waitSeconds` while it does not pass. */
export async function runLessonChecks(
    live: LessonReader,
    lessons: readonly string[],
    options: { waitSeconds: number; pollMs: number; progress: (line: string) => void },
): Promise<CheckResult[]> {
    const results: CheckResult[] = [];
    // The registry's order (a stack output's keys come back sorted), then names this verify does not know.
    const known = LESSON_NAMES.filter((name) => lessons.includes(name));
    for (const lesson of [...known, ...lessons.filter((name) => !known.includes(name as LessonName))]) {
        if (!(LESSON_NAMES as string[]).includes(lesson)) {
            results.push({
                ok: false,
                message: `lesson ${lesson}: this verify does not know it (it knows ${LESSON_NAMES.join(", ")}).`,
            });
            continue;
        }
        const check = LESSON_CHECKS[lesson as LessonName];
        const deadline = Date.now() + options.waitSeconds * 1000;
        let verdict = await check(live);
        if (verdict.status === "fail") {
            options.progress(`lesson ${lesson}: ${verdict.state}, re-checking for up to ${options.waitSeconds} s ...`);
        }
        while (verdict.status === "fail" && Date.now() < deadline) {
            await sleep(options.pollMs);
            verdict = await check(live);
        }
        results.push({
            ok: verdict.status === "pass",
            message: `lesson ${lesson} (${verdict.state}): ${verdict.message}`,
        });
    }
    return results;
}

/** `npm run verify`'s lesson lines, for the lessons the stack deployed. */
export function verifyLessons(
    kubeConfig: k8s.KubeConfig,
    namespace: string,
    lessons: readonly string[],
): Promise<CheckResult[]> {
    return runLessonChecks(new LiveReader(kubeConfig, namespace), lessons, {
        waitSeconds: 30,
        pollMs: 2000,
        progress: (line) => console.log(line),
    });
}
