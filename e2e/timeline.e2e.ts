import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Stack } from "@pulumi/pulumi/automation";
import { LESSON_NAMES } from "../lessons";
import { checkChromium, inChromium, outputDir } from "./browser";
import { LabProject, runCli, startCli } from "./harness";
import { sharedCluster } from "./realKind";

/**
 * `npm run timeline` on the live lab with every lesson, deployed without waiting (as a learner
 * runs it right after `npm run up`): the JSON's order is the real order of the containers' lives,
 * and the page, opened in a real headless Chromium (Debian's, from the toolchain), draws it so.
 */

interface JsonContainer {
    name: string;
    role: string;
    start: string | null;
    end: string | null;
    exitCode: number | null;
    attempts: { start: string; end: string | null; exitCode: number | null; failed: boolean }[];
}
interface JsonPod {
    name: string;
    lesson: string | null;
    status: string;
    ready: string;
    containers: JsonContainer[];
}

const ms = (iso: string | null) => (iso === null ? Number.NaN : Date.parse(iso));
const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));

describe("npm run timeline on a real kind cluster, every lesson", () => {
    let project: LabProject;
    let stack: Stack;
    let env: Record<string, string>;
    const timeline = (...args: string[]) => runCli("timeline", ["--stack", "timeline", ...args], env);
    const pods = (): JsonPod[] => {
        const run = timeline("--json");
        assert.strictEqual(run.status, 0, run.stderr);
        return (JSON.parse(run.stdout) as { pods: JsonPod[] }).pods;
    };
    const podOf = (all: JsonPod[], prefix: string) => all.find((p) => p.name.startsWith(prefix));
    const containerOf = (pod: JsonPod | undefined, name: string) => pod?.containers.find((c) => c.name === name);

    before(async function () {
        this.timeout(600_000);
        checkChromium();
        const shared = sharedCluster();
        project = shared.kind.project();
        env = { ...project.env, LAB_PROJECT_DIR: project.workDir };
        stack = await project.stack("timeline", {
            kubeconfigPath: shared.kubeconfig,
            kubeContext: shared.context,
            lessons: "all",
            waitForReady: "false",
            // Long enough that the live view, started right after up, sees the init step still running.
            initDelaySeconds: "12",
        });
        await stack.up();
    });
    after(async function () {
        this.timeout(300_000);
        try {
            await stack?.destroy();
        } finally {
            project?.dispose();
        }
    });

    it("live, right after up: init-test's Init:0/1 turns into Running on screen; Ctrl-C exits 0 and leaves no escape code", async function () {
        this.timeout(240_000);
        const child = startCli("timeline", ["--stack", "timeline"], env);
        let out = "";
        let err = "";
        child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
        child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
        const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
        // init-test's kubectl line in each frame printed, in order (without a terminal: a frame per change).
        const statuses = () => [...out.matchAll(/^ {2}init-test +\d+\/\d+ +(\S+) /gm)].map((m) => m[1]);
        const deadline = Date.now() + 180_000;
        while (!statuses().includes("Running") && Date.now() < deadline) await sleep(500);
        child.kill("SIGINT");
        assert.strictEqual(await exited, 0, err);
        const seen = statuses();
        assert.ok(seen.includes("Init:0/1"), `init-test's statuses on screen: ${seen.join(", ")}`);
        assert.ok(seen.indexOf("Init:0/1") < seen.indexOf("Running"), `in order: ${seen.join(", ")}`);
        assert.ok(!out.includes("\x1b"), "no escape code without a terminal");
        assert.strictEqual(err, "");
    });

    it("--json: the init container ended before the app started; the native sidecar started before the app and stopped after it", async function () {
        this.timeout(300_000);
        // Up did not wait: the lab comes to life under our eyes. Wait until the native Job's Pod is done.
        let all: JsonPod[];
        const deadline = Date.now() + 240_000;
        for (;;) {
            all = pods();
            const native = podOf(all, "lesson-native-sidecar");
            const main = containerOf(podOf(all, "init-test"), "main-container");
            if (native?.status === "Completed" && main?.start) break;
            if (Date.now() > deadline)
                assert.fail(`the lab did not come up: ${JSON.stringify(all.map((p) => [p.name, p.status]))}`);
            await sleep(3000);
        }
        const initPod = podOf(all, "init-test")!;
        const init = containerOf(initPod, "init-container")!;
        const main = containerOf(initPod, "main-container")!;
        assert.deepStrictEqual([init.role, main.role, init.exitCode], ["init", "app", 0]);
        assert.ok(ms(init.end) <= ms(main.start), `init ended ${init.end}, main started ${main.start}`);
        assert.strictEqual(initPod.status, "Running");

        const native = podOf(all, "lesson-native-sidecar")!;
        const sidecar = containerOf(native, "sidecar")!;
        const app = containerOf(native, "app")!;
        assert.strictEqual(sidecar.role, "native-sidecar");
        assert.ok(ms(sidecar.start) < ms(app.start), `sidecar started ${sidecar.start}, app ${app.start}`);
        assert.ok(ms(sidecar.end) >= ms(app.end), `sidecar stopped ${sidecar.end}, app ${app.end}`);

        const classic = podOf(all, "lesson-classic-sidecar")!;
        assert.strictEqual(containerOf(classic, "sidecar")?.role, "sidecar");
        assert.strictEqual(containerOf(classic, "sidecar")?.end, null, "the classic Job's sidecar runs on");

        const failing = podOf(all, "lesson-failing-init")!;
        assert.match(failing.status, /^Init:/);
        assert.strictEqual(containerOf(failing, "main-container")?.start, null, "its app never started");

        // The guide's two Pods first, then every Pod lesson's and the two Jobs'.
        assert.deepStrictEqual(
            all.slice(0, 2).map((p) => p.name),
            ["init-test", "sidecar-test"],
        );
        const lessons = new Set(all.map((p) => p.lesson));
        for (const lesson of LESSON_NAMES) assert.ok(lessons.has(lesson), `no Pod of lesson ${lesson}`);
    });

    it("--once: one plain frame of 80 columns, the kubectl lines as kubectl prints them", () => {
        const run = timeline("--once");
        assert.strictEqual(run.status, 0, run.stderr);
        assert.ok(!run.stdout.includes("\x1b"), "no escape code without a terminal");
        for (const line of run.stdout.split("\n")) assert.ok([...line].length <= 80, line);
        assert.match(run.stdout, /\n {2}init-test {3}1\/1 {5}Running {3}0 {10}\d+(s|m(\d+s)?)\n/);
        assert.match(run.stdout, /→ main-container started \d+ s after init-container finished\./);
    });

    it("--html: the page in headless Chromium draws one bar per started container, in the order they ran", async function () {
        this.timeout(120_000);
        const dir = outputDir("timeline");
        const file = path.join(dir, "timeline.html");
        const run = timeline("--html", file);
        assert.strictEqual(run.status, 0, run.stderr);
        const { result, requests } = await inChromium(file, async (page) => {
            // What the browser laid out: each container's first bar, its left and right edges.
            // (Browser code as text: the project's TypeScript has no DOM types.)
            const bars = (await page.evaluate(`
                [...document.querySelectorAll("section.pod")].map((section) => ({
                    pod: section.getAttribute("data-pod"),
                    rows: [...section.querySelectorAll("g.row")].map((row) => {
                        const rects = [...row.querySelectorAll("rect.bar")].map((r) => r.getBoundingClientRect());
                        return {
                            container: row.getAttribute("data-container"),
                            bars: rects.length,
                            left: rects.length ? Math.min(...rects.map((r) => r.left)) : null,
                            right: rects.length ? Math.max(...rects.map((r) => r.right)) : null,
                        };
                    }),
                }))`)) as {
                pod: string;
                rows: { container: string; bars: number; left: number | null; right: number | null }[];
            }[];
            const hover = (await page.evaluate(
                `document.querySelector("section.pod g.row rect.bar title").textContent`,
            )) as string;
            const shot = path.join(dir, "timeline.png");
            await page.screenshot({ path: shot, fullPage: true });
            return { bars, hover, shot };
        });
        const { bars, hover, shot } = result;
        const rowOf = (pod: string, container: string) => {
            const row = bars.find((b) => b.pod.startsWith(pod))?.rows.find((r) => r.container === container);
            assert.ok(row && row.left !== null && row.right !== null, `no bar for ${pod}/${container}`);
            return row as { bars: number; left: number; right: number };
        };
        const init = rowOf("init-test", "init-container");
        const main = rowOf("init-test", "main-container");
        assert.deepStrictEqual([init.bars, main.bars], [1, 1], "one bar per container");
        assert.ok(init.right <= main.left + 1, `init ends at x=${init.right}, main begins at x=${main.left}`);
        const sidecar = rowOf("lesson-native-sidecar", "sidecar");
        const app = rowOf("lesson-native-sidecar", "app");
        assert.ok(sidecar.left < app.left && sidecar.right >= app.right, JSON.stringify({ sidecar, app }));
        assert.match(hover, /run 1: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z to /);
        assert.deepStrictEqual(requests, [], "the page asked the network for nothing");
        assert.ok(fs.statSync(shot).size > 10_000, "a screenshot of the page");
    });
});
