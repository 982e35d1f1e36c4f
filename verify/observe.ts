import * as k8s from "@kubernetes/client-node";
import { LAST_LOG_LINES, startedContainers } from "./explain";
import { LogSamples, ObservedState, allStatuses, logKey, samplesFromTimestamped } from "./model";
import { ObserveRequest, Observer } from "./run";

/**
 * The Observer on a real API server: reads the Pods, samples the logs the
 * checks asked for, and on request the events and log tails, and runs the checks'
 * own fetch (a lesson's, through lessonsLive.ts's LiveReader); it keeps the first log sample of each
 * container so a judge can compare it with the latest. With `oneLook` (the class dashboard) it keeps
 * nothing: each log is read with its timestamps and the first sample is the log as it stood a log
 * reference's `lookBackSeconds` earlier.
 */
export class ClusterObserver implements Observer {
    private readonly api: k8s.CoreV1Api;
    private readonly kubeConfig: k8s.KubeConfig;
    private readonly firstSamples = new Map<string, { text: string; at: number }>();

    constructor(
        kubeConfig: k8s.KubeConfig,
        private readonly namespace: string,
        private readonly now: () => number = Date.now,
        private readonly oneLook = false,
    ) {
        this.kubeConfig = kubeConfig;
        this.api = kubeConfig.makeApiClient(k8s.CoreV1Api);
    }

    async observe(request: ObserveRequest): Promise<ObservedState> {
        const { namespace } = this;
        const state: ObservedState = { at: this.now(), namespace, pods: {}, logs: {} };
        await Promise.all(
            request.pods.map(async (name) => {
                state.pods[name] = await this.readPod(name);
            }),
        );
        for (const ref of request.logs) {
            const pod = state.pods[ref.pod];
            const running = allStatuses(pod).find((s) => s.name === ref.container)?.state?.running;
            if (!running) continue;
            // A container that just restarted may refuse for a moment: the next poll reads it.
            const text = await this.api
                .readNamespacedPodLog({
                    name: ref.pod,
                    namespace,
                    container: ref.container,
                    ...(this.oneLook ? { timestamps: true } : {}),
                })
                .catch(() => undefined);
            if (text === undefined) continue;
            const key = logKey(ref);
            if (this.oneLook) {
                state.logs[key] = samplesFromTimestamped(text, this.now(), (ref.lookBackSeconds ?? 0) * 1000);
                continue;
            }
            const latest = { text, at: this.now() };
            if (!this.firstSamples.has(key)) this.firstSamples.set(key, latest);
            const samples: LogSamples = { first: this.firstSamples.get(key)!, latest };
            state.logs[key] = samples;
        }
        if (request.fetches.length > 0) {
            state.fetched = {};
            const access = { kubeConfig: this.kubeConfig, namespace, pods: state.pods };
            // Independent reads: one round trip's wait, not one per lesson.
            const fetched = await Promise.all(request.fetches.map(({ fetch }) => fetch(access)));
            request.fetches.forEach(({ id }, i) => (state.fetched![id] = fetched[i]));
        }
        if (request.evidence) {
            state.events = [];
            state.tails = {};
            // One list for the namespace (a lab's is small); the explainer picks each Pod's events.
            const events = await this.api.listNamespacedEvent({ namespace }).catch(() => undefined);
            state.events.push(...(events?.items ?? []));
            for (const name of request.pods) {
                for (const container of startedContainers(state.pods[name])) {
                    const tail = await this.api
                        .readNamespacedPodLog({ name, namespace, container, tailLines: LAST_LOG_LINES })
                        .catch(() => "");
                    state.tails[`${name}/${container}`] = tail.split("\n").filter((l) => l.trim() !== "");
                }
            }
        }
        return state;
    }

    private async readPod(name: string): Promise<k8s.V1Pod | null> {
        try {
            return await this.api.readNamespacedPod({ name, namespace: this.namespace });
        } catch (err) {
            if (err instanceof k8s.ApiException && err.code === 404) return null;
            throw err;
        }
    }
}
