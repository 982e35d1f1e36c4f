import { PassThrough } from "stream";
import * as k8s from "@kubernetes/client-node";
import { LESSONS, LESSON_NAMES, LessonName } from "../lessons";
import { LessonVerdict } from "../lessons/shared/judge";
import { LessonDefinition } from "../lessons/shared/lesson";
import { SettingsOf, SettingsTable, resolveSettings } from "../components/settings";
import { Fetched, LessonReader, LessonSpec, ObservedJob } from "../lessons/shared/reader";
import { explainPods } from "./explain";
import { Check, ClusterAccess, Verdict } from "./model";

/**
 * The lessons a stack deployed, as verify checks: each check's `fetch` runs its lesson's
 * read (lessons/<name>/read.ts) through a {@link LiveReader} on the API server (Pods, a
 * Service, Jobs, events, a log, a page through the Pod proxy or exec), and its judge maps
 * the lesson's verdict to the runner's. The runner (run.ts) re-reads while a lesson is between two of
 * its expected states (a Pod still starting, a Job still running).
 */

/** What the lessons read, on the API server; one client per run. */
export class LiveReader implements LessonReader {
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

    resourceQuota(name: string): Promise<k8s.V1ResourceQuota | undefined> {
        return orMissing(this.core.readNamespacedResourceQuota({ name, namespace: this.namespace }));
    }

    job(name: string): Promise<k8s.V1Job | undefined> {
        return orMissing(this.batch.readNamespacedJob({ name, namespace: this.namespace }));
    }

    /** The Pods the Job controller made for a Job, oldest first. */
    podsOfJob(job: string): Promise<k8s.V1Pod[]> {
        return this.podsByLabel(`job-name=${job}`);
    }

    async podsByLabel(selector: string): Promise<k8s.V1Pod[]> {
        const list = await this.core.listNamespacedPod({ namespace: this.namespace, labelSelector: selector });
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

/**
 * Lesson states no wait can change: the object is not there after an up, or the lesson
 * went wrong for good (a main container started past a failed step, a step failing with
 * another exit code than deployed, a page or a line in the wrong shape). Anything else may
 * still turn into an expected state.
 */
const FINAL_LESSON_STATES: readonly string[] = ["missing", "broken", "wrong-exit-code", "wrong-page", "wrong-format"];

/** A lesson's verdict as the runner's: passes in an expected state; the message names the state. Pure. */
export function lessonVerdict(lesson: string, expected: readonly string[], verdict: LessonVerdict): Verdict {
    const ok = verdict.status === "pass";
    const expects = expected.join(" or ");
    return {
        ok,
        message: `lesson ${lesson} (${verdict.state}${ok ? "" : `; expected ${expects}`}): ${verdict.message}`,
        observed: { lesson, state: verdict.state, expected: expects },
        ...(!ok && FINAL_LESSON_STATES.includes(verdict.state) ? { final: true } : {}),
    };
}

const lessonCheckId = (lesson: string) => `lesson.${lesson}`;

/** The reader, answering `pod` from the Pods this poll already read (the check's own `pods`). */
function withPolledPods(reader: LessonReader, polled: Readonly<Record<string, k8s.V1Pod | null>>): LessonReader {
    return {
        pod: (name) => (name in polled ? Promise.resolve(polled[name] ?? undefined) : reader.pod(name)),
        podsByLabel: (selector) => reader.podsByLabel(selector),
        service: (name) => reader.service(name),
        resourceQuota: (name) => reader.resourceQuota(name),
        observeJob: (name) => reader.observeJob(name),
        log: (pod, container, tailLines) => reader.log(pod, container, tailLines),
        fetch: (pod, container, port, path) => reader.fetch(pod, container, port, path),
        eventCount: (name, reason) => reader.eventCount(name, reason),
    };
}

/** What a lesson's `fetch` returns: its judge's input, or the API server's refusal. */
type Read<T> = { input: T } | { denied: string };

function lessonCheck<T>(
    lesson: LessonName,
    spec: LessonSpec<T>,
    live: (cluster: ClusterAccess) => LessonReader,
): Check {
    const id = lessonCheckId(lesson);
    const { hint } = spec;
    return {
        id,
        description: `${LESSONS[lesson].title} (lesson ${lesson}).`,
        timeoutSeconds: spec.timeoutSeconds,
        pods: spec.pods,
        fetch: async (cluster): Promise<Read<T>> => {
            try {
                return { input: await spec.read(withPolledPods(live(cluster), cluster.pods ?? {})) };
            } catch (err) {
                // A kubeconfig that may read the lab's Pods but not a lesson's objects (a student's Role
                // has no Jobs, Services, proxy or exec): this lesson fails, the other checks go on.
                if (err instanceof k8s.ApiException && (err.code === 401 || err.code === 403)) {
                    return { denied: `HTTP ${err.code}` };
                }
                throw err;
            }
        },
        judge: (state) => {
            // The runner fetches for every check it judges: absent only if a caller judges by hand.
            const read = state.fetched?.[id] as Read<T> | undefined;
            if (!read) return { ok: false, message: `lesson ${lesson}: not read from the cluster yet.`, observed: {} };
            if ("denied" in read) {
                return {
                    ok: false,
                    message: `lesson ${lesson}: this kubeconfig may not read what the lesson needs (${read.denied}).`,
                    observed: { lesson, state: "forbidden", expected: spec.expected.join(" or ") },
                    final: true,
                };
            }
            return lessonVerdict(lesson, spec.expected, spec.judge(read.input, state.at));
        },
        explain: (state, verdict) => {
            const described = explainPods(state, spec.pods, verdict);
            if (verdict.observed.state === "forbidden") {
                return {
                    ...described,
                    hint:
                        "A student's kubeconfig may read Pods, their logs and events only (components/studentPolicies.ts); " +
                        "this lesson also reads Jobs, a Service, a ResourceQuota or a page through the Pod proxy.",
                };
            }
            return hint ? { ...described, hint: hint(state.namespace) } : described;
        },
    };
}

/** A lesson the stack names but this verify does not know (a stack deployed by another version of the lab). */
function unknownLessonCheck(lesson: string): Check {
    return {
        id: lessonCheckId(lesson),
        description: `The lesson ${lesson} the stack deployed.`,
        timeoutSeconds: 0,
        pods: [],
        judge: () => ({
            ok: false,
            message: `lesson ${lesson}: this verify does not know it (it knows ${LESSON_NAMES.join(", ")}).`,
            observed: { lesson, state: "unknown" },
            final: true,
        }),
        explain: () => ({
            pods: [],
            hint: "The stack was deployed by another version of the lab: verify with the checkout that deployed it.",
        }),
    };
}

export interface LessonCheckOptions {
    /** How the checks read the cluster; default: one LiveReader on the lab's cluster per run. */
    reader?: (cluster: ClusterAccess) => LessonReader;
    /** The run's clock, for lessons that time their reads (metrics-exporter's two scrapes); default Date.now. */
    now?: () => number;
    /** What the stack deployed each lesson with (its `deployed` output's lessons); a lesson left out expects its defaults. */
    deployed?: Readonly<Record<string, object>>;
}

/** A lesson's settings as deployed, checked by its table; its defaults where the stack does not say (or says nonsense). */
export function deployedLessonSettings(
    definition: LessonDefinition,
    deployed: object | undefined,
): SettingsOf<SettingsTable> {
    try {
        return resolveSettings(definition.settings, deployed ?? {});
    } catch {
        return resolveSettings(definition.settings, {});
    }
}

/**
 * The checks of the lessons a stack deployed (`LabTarget.lessons`), in the registry's order
 * (a stack output's keys come back sorted), then any lesson this verify does not know.
 */
export function lessonChecks(lessons: readonly string[], options: LessonCheckOptions = {}): Check[] {
    const makeReader = options.reader ?? ((c: ClusterAccess) => new LiveReader(c.kubeConfig, c.namespace));
    let reader: LessonReader | undefined;
    const live = (cluster: ClusterAccess) => (reader ??= makeReader(cluster));
    const now = options.now ?? Date.now;
    const checkOf = (name: LessonName): Check => {
        const definition: LessonDefinition = LESSONS[name];
        const settings = deployedLessonSettings(definition, options.deployed?.[name]);
        return lessonCheck(name, definition.check(now, settings), live);
    };
    const known = LESSON_NAMES.filter((name) => lessons.includes(name));
    const unknown = lessons.filter((name) => !(LESSON_NAMES as readonly string[]).includes(name));
    return [...known.map(checkOf), ...unknown.map(unknownLessonCheck)];
}
