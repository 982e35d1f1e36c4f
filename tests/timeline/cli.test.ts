import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Io, main } from "../../timeline/cli";
import { LabTarget, targetFromNamespace } from "../../verify/target";
import { FakeApiServer } from "../verify/fakeApiServer";
import { failingInit, failingInitEvents, initTest, nativeSidecarTest, seconds } from "./pods";

describe("timeline/cli: npm run timeline on a (fake) API server", () => {
    let api: FakeApiServer;
    let kubeconfig: string;
    const target = (): LabTarget => ({
        ...targetFromNamespace("lab-dev", kubeconfig),
        stack: "dev",
        description: "stack dev",
    });

    async function run(argv: string[], io: Partial<Io> = {}) {
        let out = "";
        let err = "";
        const code = await main(
            argv,
            {
                out: (t) => (out += t),
                err: (t) => (err += t),
                isTTY: false,
                env: {},
                interrupted: new Promise(() => undefined),
                ...io,
            },
            async (stack) => {
                if (stack !== "dev") throw new Error(`asked for stack ${stack}`);
                return target();
            },
            () => seconds(30),
        );
        return { code, out, err };
    }

    beforeEach(async () => {
        api = new FakeApiServer();
        kubeconfig = await api.start();
        for (const pod of [failingInit(), nativeSidecarTest(), initTest(12)]) api.pods.set(pod.metadata!.name!, pod);
        // A Pod that is not the lab's: never shown.
        api.pods.set("other", { metadata: { name: "other", labels: { app: "other" } } });
        api.events = failingInitEvents();
    });
    afterEach(() => api.stop());

    it("--json: the guide's Pods first, each container's role, times and exit code", async () => {
        const { code, out, err } = await run(["--stack", "dev", "--json"]);
        assert.strictEqual(code, 0, err);
        const json = JSON.parse(out);
        assert.deepStrictEqual(
            json.pods.map((p: { name: string; status: string }) => [p.name, p.status]),
            [
                ["init-test", "Running"],
                ["sidecar-test", "Running"],
                ["lesson-failing-init", "Init:CrashLoopBackOff"],
            ],
        );
        const [init, app] = json.pods[0].containers;
        assert.deepStrictEqual(
            [init.role, init.end, init.exitCode, app.role],
            ["init", "2026-11-25T10:00:11.000Z", 0, "app"],
        );
        assert.ok(Date.parse(init.end) < Date.parse(app.start));
        assert.strictEqual(json.pods[1].ready, "2/2");
        // The events came too: the failing step's first start and back-offs.
        assert.strictEqual(json.pods[2].containers[0].attempts[0].start, "2026-11-25T10:00:03.000Z");
    });

    it("--once without a terminal: one plain frame, no escape code, 80 columns", async () => {
        const { code, out } = await run(["--stack", "dev", "--once"]);
        assert.strictEqual(code, 0);
        assert.match(out, /^Timeline: stack dev, at 10:00:30 UTC\n/);
        assert.match(out, /→ main-container started 1 s after init-container finished\./);
        assert.ok(!out.includes("\x1b"), "no escape code");
        assert.ok(out.split("\n").every((l) => [...l].length <= 80));
    });

    it("--html FILE: writes the page, with each lesson's sentence from the registry", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "timeline-"));
        try {
            const file = path.join(dir, "t.html");
            const { code, err } = await run(["--stack", "dev", "--html", file]);
            assert.strictEqual(code, 0, err);
            const page = fs.readFileSync(file, "utf8");
            assert.match(
                page,
                /<p class="lesson">A failing init step: Init:Error, Init:CrashLoopBackOff, then fixed live<\/p>/,
            );
            assert.match(page, /<p class="lesson">An init container runs first and must finish/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("live without a terminal: a plain frame, then exit 0 on Ctrl-C", async () => {
        const { code, out } = await run(["--stack", "dev"], {
            interrupted: new Promise((resolve) => setTimeout(resolve, 300)),
        });
        assert.strictEqual(code, 0);
        assert.match(out, /init-test \(init-demo\)/);
        assert.ok(!out.includes("\x1b"), "no escape code");
    });

    it("live in a terminal: hides the cursor while drawing, shows it again on Ctrl-C", async () => {
        const { code, out } = await run(["--stack", "dev"], {
            isTTY: true,
            env: { NO_COLOR: "1" },
            interrupted: new Promise((resolve) => setTimeout(resolve, 300)),
        });
        assert.strictEqual(code, 0);
        assert.ok(out.startsWith("\x1b[?25l"), JSON.stringify(out.slice(0, 20)));
        assert.ok(out.endsWith("\x1b[?25h\n"), "the cursor is back");
        assert.match(out, /Ctrl-C to quit/);
    });

    it("no lab Pods: one line naming where, exit 2", async () => {
        api.pods.clear();
        const { code, err } = await run(["--stack", "dev", "--once"]);
        assert.strictEqual(code, 2);
        assert.strictEqual(
            err,
            "timeline: no lab Pods in stack dev (label app.kubernetes.io/name=init-sidecar-lab): run `npm run up` first.\n",
        );
    });

    it("an unreachable cluster: one line naming it, exit 2", async () => {
        await api.close();
        const { code, err } = await run(["--stack", "dev", "--json"]);
        assert.strictEqual(code, 2);
        assert.match(err, /^timeline: could not read the Pods of stack dev: .+\n$/);
    });

    it("an unknown stack or bad usage: one line and exit 2, before any read", async () => {
        let unknownErr = "";
        const unknown = await main(
            ["--stack", "nope", "--once"],
            {
                out: () => undefined,
                err: (t) => (unknownErr += t),
                isTTY: false,
                env: {},
                interrupted: new Promise(() => undefined),
            },
            async (s) => {
                throw new (await import("../../verify/target")).TargetError(`could not read stack "${s}"`);
            },
        );
        assert.strictEqual(unknown, 2);
        assert.strictEqual(unknownErr, 'timeline: could not read stack "nope"\n');
        const bad = await run(["--json", "--html", "x.html"]);
        assert.strictEqual(bad.code, 2);
        assert.match(bad.err, /give --json or --html, not both/);
        assert.deepStrictEqual(api.requests, []);
    });
});
