import type { V1Job, V1Pod, V1ResourceQuota, V1Service } from "@kubernetes/client-node";
import { LessonVerdict } from "./judge";

/**
 * How a lesson reads the cluster for verify: through this interface, injected, so a lesson
 * folder has no host I/O of its own. verify/lessonsLive.ts's LiveReader implements it on the
 * API server; tests pass a fake.
 */

/** A page read through the API server's Pod proxy, or why it could not be. */
export type Fetched = { ok: true; body: string } | { ok: false; error: string };

/** A Job as verify reads it: the Job and the Pods its controller made, newest last. */
export interface ObservedJob {
    name: string;
    job: V1Job | undefined;
    pods: V1Pod[];
}

/** What a lesson's read may ask of the cluster, in the lab's namespace. */
export interface LessonReader {
    /** The Pod, or undefined where there is none. */
    pod(name: string): Promise<V1Pod | undefined>;
    /** The Pods a label selector (`app.kubernetes.io/component=x`) picks, oldest first: those a controller named. */
    podsByLabel(selector: string): Promise<V1Pod[]>;
    service(name: string): Promise<V1Service | undefined>;
    /** The ResourceQuota, with the usage the API server counted, or undefined where there is none. */
    resourceQuota(name: string): Promise<V1ResourceQuota | undefined>;
    observeJob(name: string): Promise<ObservedJob>;
    log(pod: string, container: string, tailLines?: number): Promise<string>;
    /** A page from a Pod's port (path without the leading slash); a failure said in words. */
    fetch(pod: string, container: string, port: number, path: string): Promise<Fetched>;
    /** How many times the API server recorded an event with this reason about the object. */
    eventCount(name: string, reason: string): Promise<number>;
}

/**
 * One lesson as a verify check: what it reads (through the reader), and its pure judge of
 * what was read. `judge` and `read` are methods, so a lesson's spec of its own input type fits
 * the registry's `LessonSpec<unknown>`; each lesson pairs its read with its judge.
 */
export interface LessonSpec<T> {
    /** The states the lesson passes in, as its judge names them (for the message of a failure). */
    expected: readonly string[];
    /** Polling ends here: each Pod needs its image pulled, then a few of the app's intervals. */
    timeoutSeconds: number;
    /** The Pods a failure's explanation describes, with their events and last log lines. */
    pods: readonly string[];
    read(live: LessonReader): Promise<T>;
    /** `at`: when the cluster was read. */
    judge(input: T, at: number): LessonVerdict;
    /** The fix to look at when the lesson has no Pod of its own to describe. */
    hint?: (namespace: string) => string;
}

export const isReady = (pod: V1Pod | undefined) =>
    pod?.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;

/** A log that cannot be read right now (a container just restarting) is read at the next poll. */
export const logOrNothing = (read: Promise<string>) => read.catch(() => undefined);
