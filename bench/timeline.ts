import * as fs from "fs";
import * as path from "path";
import type { CoreV1Event, V1Pod } from "@kubernetes/client-node";
import { LabProject, runCli } from "../e2e/harness";
import { RealKind } from "../e2e/realKind";
import { LAB_SELECTOR, LabView } from "../timeline/cli";
import { paintFor, renderFrame } from "../timeline/frame";
import { Target, median, renderTargets, seconds, table } from "./stats";

/**
 * What a learner and an instructor wait for, on one real kind cluster: `npm run timeline -- --once`
 * on a lab with every lesson (Node starting, the stack's outputs read, one list of Pods and
 * events, a frame), the frame alone (pure: statuses and events to text, many times), and
 * `classroom dashboard` for a class of ten in the shared topology (the whole command: Node, each
 * stack's outputs, one look at each lab).
 */

const FRAME_ITERATIONS = 500;
const CLASS_SIZE = 10;

function timedRun<T>(run: () => T): { ms: number; result: T } {
    const start = process.hrtime.bigint();
    const result = run();
    return { ms: Number(process.hrtime.bigint() - start) / 1e6, result };
}

/** The median time of the frame a live timeline draws, from these Pods and events, in ms. */
export function frameMedianMs(pods: readonly V1Pod[], events: CoreV1Event[], iterations: number): number {
    const view = new LabView();
    for (const pod of pods) view.apply("ADDED", pod);
    view.events = events;
    // A terminal's frame, colours and all: the most work a frame does.
    const paint = paintFor(true, { TERM: "xterm-256color" });
    const samples: number[] = [];
    for (let i = 0; i < iterations; i++) {
        const now = Date.now();
        samples.push(timedRun(() => renderFrame(view.timelines(now), now, { title: "bench", paint })).ms);
    }
    return median(samples);
}

export async function benchTimeline(rounds: number, log: (line: string) => void): Promise<boolean> {
    const kind = new RealKind("bench-timeline-");
    let project: LabProject | undefined;
    const targets: Target[] = [];
    try {
        project = kind.project();
        log("creating a kind cluster ...");
        const node = kind.createCluster(kind.name("timeline"));
        const env = { ...project.env, LAB_PROJECT_DIR: project.workDir };

        log("a lab with every lesson (up, not waiting for Ready) ...");
        const stack = await project.stack("bench", {
            kubeconfigPath: node.kubeconfig,
            kubeContext: node.context,
            lessons: "all",
            waitForReady: "false",
        });
        await stack.up();
        const namespace = String((await stack.outputs()).namespace.value);
        const once: number[] = [];
        // One more run than counted: the first warms the disk cache and the Pulumi plugins.
        for (let i = 0; i <= rounds; i++) {
            const { ms, result } = timedRun(() => runCli("timeline", ["--stack", "bench", "--once"], env));
            if (result.status !== 0) throw new Error(`timeline --once failed:\n${result.stderr}`);
            if (i > 0) once.push(ms);
        }
        const listed = (what: string, ...args: string[]) =>
            (
                JSON.parse(kind.kubectl(node.context, "-n", namespace, "get", what, ...args, "-o", "json")) as {
                    items: unknown[];
                }
            ).items;
        const pods = listed("pods", "-l", LAB_SELECTOR) as V1Pod[];
        const frameMs = frameMedianMs(pods, listed("events") as CoreV1Event[], FRAME_ITERATIONS);
        log(
            `  timeline --once: ${once.map((ms) => seconds(ms)).join(", ")} s; ` +
                `a frame of ${pods.length} Pods: ${frameMs.toFixed(2)} ms (median of ${FRAME_ITERATIONS})`,
        );
        await stack.destroy();
        await stack.workspace.removeStack("bench");

        log(`classroom up, ${CLASS_SIZE} students, shared topology ...`);
        const cluster = ["--kubeconfig", node.kubeconfig, "--context", node.context];
        const up = project.classroom(
            "up",
            ...["--count", String(CLASS_SIZE), "--topology", "shared", ...cluster, "--parallel", String(CLASS_SIZE)],
        );
        if (up.status !== 0) throw new Error(`classroom up failed:\n${up.output}`);
        const page = path.join(project.root, "dashboard.html");
        const dashboard: number[] = [];
        for (let i = 0; i <= rounds; i++) {
            const { ms, result } = timedRun(() =>
                project!.classroom("dashboard", "--count", String(CLASS_SIZE), "--out", page),
            );
            if (result.status !== 0) throw new Error(`classroom dashboard failed:\n${result.output}`);
            const rows = (fs.readFileSync(page, "utf8").match(/<tr class="student"/g) ?? []).length;
            if (rows !== CLASS_SIZE) throw new Error(`the dashboard has ${rows} rows, not ${CLASS_SIZE}`);
            // A class that all passes: every check judged, no row cut short by an error.
            const passed = new RegExp(`${CLASS_SIZE} of ${CLASS_SIZE} students passed every check`);
            if (!passed.test(result.output)) throw new Error(`not every student passed:\n${result.output}`);
            if (i > 0) dashboard.push(ms);
        }
        log(`  dashboard (${CLASS_SIZE} of ${CLASS_SIZE} passed): ${dashboard.map((ms) => seconds(ms)).join(", ")} s`);
        const down = project.classroom("destroy", "--count", String(CLASS_SIZE), "--parallel", String(CLASS_SIZE));
        if (down.status !== 0) throw new Error(`classroom destroy failed:\n${down.output}`);

        log(
            "\n" +
                table([
                    ["what", "median", "unit"],
                    ["timeline --once (every lesson)", seconds(median(once)), "s"],
                    [`a frame (${pods.length} Pods)`, frameMs.toFixed(2), "ms"],
                    [`classroom dashboard (${CLASS_SIZE} students)`, seconds(median(dashboard)), "s"],
                ]),
        );
        targets.push(
            { name: "timeline --once, every lesson", measured: median(once) / 1000, limit: 1.5, unit: "s" },
            { name: "one frame's render", measured: frameMs, limit: 20, unit: "ms" },
            {
                name: `classroom dashboard, ${CLASS_SIZE} students`,
                measured: median(dashboard) / 1000,
                limit: 5,
                unit: "s",
            },
        );
    } finally {
        project?.dispose();
        kind.dispose();
    }
    log("\n" + renderTargets(targets));
    return targets.every((t) => t.measured <= t.limit);
}
