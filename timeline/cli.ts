import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import type { CoreV1Event, KubeConfig, V1Pod } from "@kubernetes/client-node";
import { COMMITTED_STACK } from "../lab/backend";
import { UsageError, targetFromStack } from "../verify/cli";
import { LabTarget, TargetError, targetFromNamespace } from "../verify/target";
import { FrameOptions, paintFor, renderFrame } from "./frame";
import { GUIDE_LESSONS, lessonSentences } from "./lessons";
import { AttemptMemory, COMPONENT_LABEL, PodTimeline, podTimeline, timelineJson } from "./model";
import { renderPage } from "./page";

/**
 * `npm run timeline`: every lab Pod's containers as bars on a time axis, live in the terminal
 * (one watch on the namespace's Pods; the events are listed again when a Pod changes, which a
 * student's namespace-scoped read allows), or once, as JSON, or as a page. Read-only.
 * Exit 0; 2 when the lab cannot be found or read (or bad usage).
 */

export const USAGE = `usage: npm run timeline [-- options]

Shows each lab Pod's containers (init, sidecar, app) as bars on a time axis, with the Pod's line as
kubectl prints it and what to notice; live until Ctrl-C.
  --stack NAME       the stack to show (default: dev, or $LAB_STACK)
  --namespace NS     skip the stack: show the lab's Pods in this namespace
  --context CTX      kube context (with --namespace)
  --kubeconfig FILE  kubeconfig file (with --namespace)
  --once             print one frame and exit
  --json             print the timeline as JSON and exit
  --html FILE        write the timeline as one self-contained page and exit
Exit status: 0 shown, 2 the lab could not be found or read.
Examples:
  npm run timeline
  npm run timeline -- --html timeline.html`;

/** The lab's Pods (components/podDefaults.ts demoPodLabels). */
export const LAB_SELECTOR = "app.kubernetes.io/name=init-sidecar-lab";

export interface TimelineOptions {
    help: boolean;
    stack?: string;
    namespace?: string;
    context?: string;
    kubeconfig?: string;
    once: boolean;
    json: boolean;
    html?: string;
}

/** Parses argv (without node and the script). Pure. */
export function parseTimelineArgs(argv: readonly string[]): TimelineOptions {
    let values;
    try {
        ({ values } = parseArgs({
            args: [...argv],
            options: {
                stack: { type: "string" },
                namespace: { type: "string" },
                context: { type: "string" },
                kubeconfig: { type: "string" },
                once: { type: "boolean" },
                json: { type: "boolean" },
                html: { type: "string" },
                help: { type: "boolean", short: "h" },
            },
            strict: true,
        }));
    } catch (err) {
        throw new UsageError((err as Error).message);
    }
    if (values.stack !== undefined && values.namespace !== undefined) {
        throw new UsageError("give --stack or --namespace, not both. Example: --namespace lab-dev");
    }
    if (values.namespace === undefined && (values.context !== undefined || values.kubeconfig !== undefined)) {
        throw new UsageError(
            "--context and --kubeconfig go with --namespace. Example: --namespace lab-dev --context kind-lab-dev",
        );
    }
    if (values.html === "") throw new UsageError("--html needs a file name. Example: --html timeline.html");
    if (values.json && values.html !== undefined)
        throw new UsageError("give --json or --html, not both. Example: --json");
    return {
        help: values.help ?? false,
        stack: values.stack,
        namespace: values.namespace,
        context: values.context,
        kubeconfig: values.kubeconfig,
        once: values.once ?? false,
        json: values.json ?? false,
        html: values.html,
    };
}

/** The guide's two Pods first, then the lessons' by creation, then by name. */
export function podOrder(a: V1Pod, b: V1Pod): number {
    const rank = (p: V1Pod) => {
        const component = p.metadata?.labels?.[COMPONENT_LABEL] ?? "";
        const guide = Object.keys(GUIDE_LESSONS).indexOf(component);
        return guide >= 0 ? guide : Object.keys(GUIDE_LESSONS).length;
    };
    const created = (p: V1Pod) => new Date(p.metadata?.creationTimestamp ?? 0).getTime();
    return (
        rank(a) - rank(b) || created(a) - created(b) || (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? "")
    );
}

/** What the cluster says, kept current by the watch. */
export class LabView {
    readonly pods = new Map<string, V1Pod>();
    events: CoreV1Event[] = [];
    private readonly memory = new AttemptMemory();

    timelines(now: number): PodTimeline[] {
        return [...this.pods.values()].sort(podOrder).map((pod) => podTimeline(pod, this.events, now, this.memory));
    }

    /** A watch event: ADDED, MODIFIED, DELETED. */
    apply(type: string, pod: V1Pod): void {
        const name = pod.metadata?.name ?? "";
        if (type === "DELETED") {
            this.pods.delete(name);
            this.memory.forget(`${pod.metadata?.namespace}/${name}/`);
        } else if (type === "ADDED" || type === "MODIFIED") {
            this.pods.set(name, pod);
        }
    }
}

/** Reads the cluster: lists, and the one watch. Tests give a fake API server through the kubeconfig. */
class LabReader {
    constructor(
        private readonly kubeConfig: KubeConfig,
        private readonly namespace: string,
    ) {}

    async pods(): Promise<{ items: V1Pod[]; resourceVersion?: string }> {
        const k8s = await import("@kubernetes/client-node");
        const api = this.kubeConfig.makeApiClient(k8s.CoreV1Api);
        const list = await api.listNamespacedPod({ namespace: this.namespace, labelSelector: LAB_SELECTOR });
        return { items: list.items, resourceVersion: list.metadata?.resourceVersion };
    }

    async events(): Promise<CoreV1Event[]> {
        const k8s = await import("@kubernetes/client-node");
        const api = this.kubeConfig.makeApiClient(k8s.CoreV1Api);
        // The events of a lab's namespace are few; a student may list them, not watch them.
        return (await api.listNamespacedEvent({ namespace: this.namespace })).items;
    }

    async watch(
        resourceVersion: string | undefined,
        onPod: (type: string, pod: V1Pod) => void,
        onEnd: (err: unknown) => void,
    ): Promise<AbortController> {
        const k8s = await import("@kubernetes/client-node");
        return new k8s.Watch(this.kubeConfig).watch(
            `/api/v1/namespaces/${this.namespace}/pods`,
            { labelSelector: LAB_SELECTOR, resourceVersion, allowWatchBookmarks: true },
            (type, object) => onPod(type, object as V1Pod),
            onEnd,
        );
    }
}

/** One line saying why the cluster could not be read. */
function unreachable(target: LabTarget, err: unknown): TargetError {
    const message = err instanceof Error ? err.message.split("\n")[0] : String(err);
    return new TargetError(`could not read the Pods of ${target.description}: ${message}`);
}

export interface Io {
    out: (text: string) => void;
    err: (text: string) => void;
    isTTY: boolean;
    env: NodeJS.ProcessEnv;
    /** Resolves when the user asks to stop (Ctrl-C). */
    interrupted: Promise<void>;
}

const defaultIo = (): Io => ({
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    isTTY: process.stdout.isTTY === true,
    env: process.env,
    interrupted: new Promise((resolve) => {
        process.once("SIGINT", () => resolve());
        process.once("SIGTERM", () => resolve());
    }),
});

const HIDE_CURSOR = "\x1b[?25l";
const SHOW_CURSOR = "\x1b[?25h";
const HOME_AND_CLEAR = "\x1b[H\x1b[2J";

/**
 * Runs the timeline; returns the exit code. `readStack` finds a stack's lab (tests give one
 * without the Pulumi CLI); `now` is the clock.
 */
export async function main(
    argv: readonly string[],
    io: Io = defaultIo(),
    readStack: (stack: string) => Promise<LabTarget> = targetFromStack,
    now: () => number = Date.now,
): Promise<number> {
    let options: TimelineOptions;
    try {
        options = parseTimelineArgs(argv);
    } catch (e) {
        io.err(`timeline: ${(e as Error).message}\n${USAGE}\n`);
        return 2;
    }
    if (options.help) {
        io.out(`${USAGE}\n`);
        return 0;
    }
    try {
        const reading = options.namespace
            ? Promise.resolve(targetFromNamespace(options.namespace, options.kubeconfig, options.context))
            : readStack(options.stack ?? (process.env.LAB_STACK || COMMITTED_STACK));
        // The Kubernetes client loads while the Pulumi CLI reads the stack (separate processes).
        const lab = import("../verify/lab");
        const target = await reading;
        const { loadKubeConfig } = await lab;
        const reader = new LabReader(loadKubeConfig(target), target.namespace);
        const view = new LabView();
        let listed;
        try {
            [listed, view.events] = await Promise.all([reader.pods(), reader.events()]);
        } catch (err) {
            throw unreachable(target, err);
        }
        if (listed.items.length === 0) {
            throw new TargetError(
                `no lab Pods in ${target.description} (label ${LAB_SELECTOR}): run \`npm run up\` first.`,
            );
        }
        for (const pod of listed.items) view.apply("ADDED", pod);
        const title = target.description;
        if (options.json) {
            io.out(
                `${JSON.stringify({ target: title, at: new Date(now()).toISOString(), pods: timelineJson(view.timelines(now())) }, null, 2)}\n`,
            );
            return 0;
        }
        if (options.html !== undefined) {
            const file = path.resolve(process.env.INIT_CWD ?? process.cwd(), options.html);
            const lessonSentence = await lessonSentences();
            fs.writeFileSync(file, renderPage(view.timelines(now()), now(), { title, lessonSentence }));
            io.err(`Wrote the timeline of ${title} to ${file}\n`);
            return 0;
        }
        const paint = paintFor(io.isTTY, io.env);
        const frame = (hint?: string) =>
            renderFrame(view.timelines(now()), now(), { title, paint, hint } satisfies FrameOptions);
        if (options.once) {
            io.out(frame());
            return 0;
        }
        return await live(view, reader, listed.resourceVersion, io, frame, target);
    } catch (e) {
        io.err(`timeline: ${e instanceof Error ? e.message : String(e)}\n`);
        return 2;
    }
}

/** Redraws on each change (and each second in a terminal, as bars grow) until Ctrl-C. */
async function live(
    view: LabView,
    reader: LabReader,
    resourceVersion: string | undefined,
    io: Io,
    frame: (hint?: string) => string,
    target: LabTarget,
): Promise<number> {
    let lastPlain = "";
    const draw = () => {
        if (io.isTTY) {
            io.out(`${HOME_AND_CLEAR}${frame("Ctrl-C to quit")}`);
        } else {
            // Without a terminal: a frame each time something changed, plain text, no escape codes.
            const text = frame();
            const withoutClock = text.slice(text.indexOf("\n"));
            if (withoutClock !== lastPlain) io.out(`${text}\n`);
            lastPlain = withoutClock;
        }
    };
    let eventsPending = false;
    const refreshEvents = () => {
        if (eventsPending) return;
        eventsPending = true;
        // At most one list in flight, a second after a change: a burst of Pod updates costs one.
        setTimeout(() => {
            reader
                .events()
                .then((events) => (view.events = events))
                .catch(() => undefined)
                .finally(() => {
                    eventsPending = false;
                    draw();
                });
        }, 1000);
    };
    let failure: TargetError | undefined;
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    let watch: AbortController | undefined;
    let stopping = false;
    const startWatch = async (from: string | undefined): Promise<void> => {
        watch = await reader.watch(
            from,
            (type, pod) => {
                view.apply(type, pod);
                draw();
                refreshEvents();
            },
            (err) => {
                if (stopping) return;
                if (err) {
                    failure = unreachable(target, err);
                    stop();
                    return;
                }
                // The API server ends a watch after a while: list again (a Pod may have gone) and go on.
                reader
                    .pods()
                    .then((listed) => {
                        for (const name of [...view.pods.keys()]) {
                            if (!listed.items.some((p) => p.metadata?.name === name)) view.pods.delete(name);
                        }
                        for (const pod of listed.items) view.apply("MODIFIED", pod);
                        return startWatch(listed.resourceVersion);
                    })
                    .catch((e) => {
                        failure = unreachable(target, e);
                        stop();
                    });
            },
        );
    };
    await startWatch(resourceVersion);
    if (io.isTTY) io.out(HIDE_CURSOR);
    draw();
    const ticker = io.isTTY ? setInterval(draw, 1000) : undefined;
    try {
        await Promise.race([io.interrupted, stopped]);
    } finally {
        clearInterval(ticker);
        stopping = true;
        watch?.abort();
        if (io.isTTY) io.out(`${SHOW_CURSOR}\n`);
    }
    if (failure) {
        io.err(`timeline: ${failure.message}\n`);
        return 2;
    }
    return 0;
}

if (require.main === module) {
    void main(process.argv.slice(2)).then((code) => {
        process.exit(code);
    });
}
