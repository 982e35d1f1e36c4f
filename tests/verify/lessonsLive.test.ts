import * as assert from "assert";
import * as k8s from "@kubernetes/client-node";
import type { V1ContainerStatus, V1Pod } from "@kubernetes/client-node";
import { Fetched, LessonReader } from "../../lessons/shared/reader";
import { lessonChecks, lessonVerdict } from "../../verify/lessonsLive";
import { Observer, runChecks } from "../../verify/run";
import { T0, at } from "./fixtures";

/** A reader whose Pod changes from one read to the next, as a live one does; each page read counts one more line. */
function fakeReader(pods: (V1Pod | undefined)[], pages: (n: number) => Fetched = () => ({ ok: false, error: "" })) {
    const reader = {
        reads: 0,
        pageReads: 0,
        pod: async (): Promise<V1Pod | undefined> => pods[Math.min(reader.reads++, pods.length - 1)],
        podsByLabel: async () => [],
        service: async () => undefined,
        resourceQuota: async () => undefined,
        observeJob: async (name: string) => ({ name, job: undefined, pods: [] }),
        log: async () => "",
        eventCount: async () => 0,
        fetch: async (): Promise<Fetched> => pages(reader.pageReads++),
    } satisfies LessonReader & { reads: number; pageReads: number };
    return reader;
}

/** A fake clock, and an observer that runs the checks' fetches (the lessons read nothing else). */
function fixture() {
    let now = T0;
    const observer: Observer = {
        observe: async (request) => {
            const cluster = { kubeConfig: new k8s.KubeConfig(), namespace: "lab-dev" };
            const fetched: Record<string, unknown> = {};
            for (const { id, fetch } of request.fetches) fetched[id] = await fetch(cluster);
            return { at: now, namespace: "lab-dev", pods: {}, logs: {}, fetched };
        },
    };
    const options = {
        now: () => now,
        sleep: async (ms: number) => {
            now += ms;
        },
        pollMs: 1000,
    };
    return { observer, options, now: () => now, elapsed: () => now - T0 };
}

const status = (name: string, state: V1ContainerStatus["state"], ready = false): V1ContainerStatus => ({
    name,
    image: "busybox",
    imageID: "",
    ready,
    restartCount: 0,
    state,
});

const failingInitPod = (state: V1ContainerStatus["state"], main?: V1ContainerStatus["state"]): V1Pod => ({
    metadata: { name: "lesson-failing-init" },
    spec: { initContainers: [{ name: "check-config" }], containers: [{ name: "main-container" }] },
    status: {
        phase: "Pending",
        initContainerStatuses: [status("check-config", state)],
        containerStatuses: main ? [status("main-container", main)] : [],
    },
});

const metricsPod: V1Pod = {
    metadata: { name: "lesson-metrics-exporter" },
    status: {
        phase: "Running",
        conditions: [{ type: "Ready", status: "True" }],
        containerStatuses: [
            status("main-container", { running: { startedAt: at(1) } }, true),
            status("metrics-exporter", { running: { startedAt: at(1) } }, true),
        ],
    },
};

const counter = (n: number): Fetched => ({
    ok: true,
    body: `# TYPE app_log_lines_total counter\napp_log_lines_total ${n}\n`,
});

describe("verify: the lessons as checks (fake reader, fake clock)", () => {
    it("reads a lesson's Pod from what the poll already read, and asks the API server only for others", async () => {
        const polled = failingInitPod({ waiting: { reason: "CrashLoopBackOff" } });
        const reader = fakeReader([failingInitPod({ running: {} })]);
        const [check] = lessonChecks(["failing-init"], { reader: () => reader });
        const cluster = { kubeConfig: new k8s.KubeConfig(), namespace: "lab-dev" };
        const fromPoll = (await check.fetch!({ ...cluster, pods: { "lesson-failing-init": polled } })) as {
            input: { pod: V1Pod };
        };
        assert.strictEqual(fromPoll.input.pod, polled);
        assert.strictEqual(reader.reads, 0, "the Pod was not read a second time");
        const fromApi = (await check.fetch!({ ...cluster, pods: {} })) as { input: { pod: V1Pod } };
        assert.notStrictEqual(fromApi.input.pod, polled);
        assert.strictEqual(reader.reads, 1);
    });

    it("the runner re-reads a lesson between two expected states until it shows one; the message names it", async () => {
        const reader = fakeReader([
            failingInitPod({ waiting: { reason: "PodInitializing" } }),
            failingInitPod({ running: {} }),
            // The kubelet's reason for a non-zero exit, which kubectl's STATUS shows (Init:Error).
            failingInitPod({ terminated: { exitCode: 1, reason: "Error", message: "Not found\n" } }),
        ]);
        const f = fixture();
        const [record] = await runChecks(lessonChecks(["failing-init"], { reader: () => reader }), f.observer, {
            ...f.options,
        });
        assert.strictEqual(record.id, "lesson.failing-init");
        assert.strictEqual(record.status, "passed", record.message);
        assert.strictEqual(record.attempts, 3);
        assert.strictEqual(reader.reads, 3);
        assert.match(record.message, /^lesson failing-init \(failing\): Pod lesson-failing-init is Init:Error/);
        assert.deepStrictEqual(record.observed, {
            lesson: "failing-init",
            state: "failing",
            expected: "failing or fixed",
        });
        assert.strictEqual(record.timeoutSeconds, 120);
    });

    it("reads the Jobs the stack deployed, by their deployed names, and waits for the deployed lines and interval", async () => {
        const reader = fakeReader([]);
        const f = fixture();
        const deployed = {
            "native-sidecar": {
                classicJobName: "old-style",
                nativeJobName: "new-style",
                lines: 20,
                intervalSeconds: 5,
            },
        };
        const checks = lessonChecks(["native-sidecar"], { reader: () => reader, deployed });
        assert.strictEqual(checks[0].timeoutSeconds, 140 + 2 * 20 * 5);
        const [native] = await runChecks(checks, f.observer, f.options);
        assert.match(native.message, /Job old-style/);
        assert.match(native.explanation!.hint, /kubectl describe jobs old-style new-style -n lab-dev/);
        // A deployed value this verify would refuse is not trusted: the defaults are.
        const [fallback] = lessonChecks(["native-sidecar"], { deployed: { "native-sidecar": { lines: -1 } } });
        assert.strictEqual(fallback.timeoutSeconds, 140 + 2 * 3 * 2);
    });

    it("a lesson still starting fails at its timeout, naming the expected states; a missing Job and an unknown lesson fail at once", async () => {
        const reader = fakeReader([failingInitPod({ waiting: { reason: "PodInitializing" } })]);
        const f = fixture();
        const checks = lessonChecks(["time-travel", "native-sidecar", "failing-init"], { reader: () => reader });
        assert.deepStrictEqual(
            checks.map((c) => c.id),
            ["lesson.failing-init", "lesson.native-sidecar", "lesson.time-travel"],
            "the registry's order, then the unknown",
        );
        const [failing, native, unknown] = await runChecks(checks, f.observer, f.options);
        assert.strictEqual(failing.status, "failed");
        assert.match(failing.message, /^lesson failing-init \(starting; expected failing or fixed\): /);
        assert.strictEqual(f.elapsed(), 120_000, "waited out failing-init's own timeout");
        assert.strictEqual(native.status, "failed");
        assert.strictEqual(native.attempts, 1, "missing is final: no wait");
        assert.match(native.message, /^lesson native-sidecar \(missing; expected shown\): Job lesson-classic-sidecar/);
        assert.match(
            native.explanation!.hint,
            /kubectl describe jobs lesson-classic-sidecar lesson-native-sidecar -n lab-dev/,
        );
        assert.strictEqual(unknown.attempts, 1);
        assert.match(unknown.message, /^lesson time-travel: this verify does not know it \(it knows failing-init, /);
    });

    it("metrics-exporter compares two scrapes over the runner's polls, one interval and a second apart", async () => {
        const reader = fakeReader([metricsPod], (n) => counter(10 + n));
        const f = fixture();
        const [record] = await runChecks(
            lessonChecks(["metrics-exporter"], { reader: () => reader, now: f.now }),
            f.observer,
            f.options,
        );
        assert.strictEqual(record.status, "passed", record.message);
        assert.match(record.message, /^lesson metrics-exporter \(counting\): .*two scrapes 3 s apart read 10, then 13/);
        assert.strictEqual(record.attempts, 4);
    });

    it("metrics-exporter starts its two scrapes again after one fails", async () => {
        // Reads 0 and 1 count, read 2 fails, then the count goes on from read 3.
        const reader = fakeReader([metricsPod], (n) => (n === 2 ? { ok: false, error: "HTTP 503" } : counter(10 + n)));
        const f = fixture();
        const [record] = await runChecks(
            lessonChecks(["metrics-exporter"], { reader: () => reader, now: f.now }),
            f.observer,
            f.options,
        );
        assert.strictEqual(record.status, "passed", record.message);
        assert.match(record.message, /two scrapes 3 s apart read 13, then 16/);
        assert.strictEqual(record.attempts, 7);
    });

    it("metrics-exporter keeps waiting while the counter stands still, then says so", async () => {
        const reader = fakeReader([metricsPod], () => counter(7));
        const f = fixture();
        const [record] = await runChecks(
            lessonChecks(["metrics-exporter"], { reader: () => reader, now: f.now }),
            f.observer,
            { ...f.options, timeoutSeconds: 10 },
        );
        assert.strictEqual(record.status, "failed");
        assert.match(record.message, /\(not-counting; expected counting\): .*stayed at 7 over 10 s/);
    });

    it("a read the kubeconfig may not make fails that lesson at once; the others go on", async () => {
        const reader = {
            ...fakeReader([failingInitPod({ terminated: { exitCode: 1 } })]),
            observeJob: async () => {
                throw new k8s.ApiException(403, "Forbidden", {}, {});
            },
        };
        const f = fixture();
        const [failing, native] = await runChecks(
            lessonChecks(["native-sidecar", "failing-init"], { reader: () => reader }),
            f.observer,
            f.options,
        );
        assert.strictEqual(failing.status, "passed", failing.message);
        assert.strictEqual(native.status, "failed");
        assert.strictEqual(native.attempts, 1);
        assert.strictEqual(
            native.message,
            "lesson native-sidecar: this kubeconfig may not read what the lesson needs (HTTP 403).",
        );
        assert.strictEqual(native.observed.state, "forbidden");
        assert.match(native.explanation!.hint, /may read Pods, their logs and events only/);
    });

    it("maps a lesson's verdict: passes in an expected state, final where waiting cannot help", () => {
        const expected = ["failing", "fixed"];
        const pass = lessonVerdict("failing-init", expected, { status: "pass", state: "fixed", message: "ok." });
        assert.deepStrictEqual(pass, {
            ok: true,
            message: "lesson failing-init (fixed): ok.",
            observed: { lesson: "failing-init", state: "fixed", expected: "failing or fixed" },
        });
        const starting = lessonVerdict("failing-init", expected, { status: "fail", state: "starting", message: "." });
        assert.strictEqual(starting.final, undefined);
        const broken = lessonVerdict("failing-init", expected, { status: "fail", state: "broken", message: "." });
        assert.strictEqual(broken.final, true);
        assert.strictEqual(broken.ok, false);
    });

    it("a lesson gone wrong for good fails at once, without waiting: broken, wrong-exit-code", async () => {
        const cases: [V1Pod, RegExp][] = [
            // The main container started past a failed step.
            [
                failingInitPod({ terminated: { exitCode: 1 } }, { running: { startedAt: at(5) } }),
                /^lesson failing-init \(broken; expected failing or fixed\): /,
            ],
            // The step fails with another exit code than its setting's.
            [
                failingInitPod({ terminated: { exitCode: 2, reason: "Error" } }),
                /^lesson failing-init \(wrong-exit-code; expected failing or fixed\): .*exited with code 2, not its exitCode setting 1/,
            ],
        ];
        for (const [pod, message] of cases) {
            const reader = fakeReader([pod]);
            const f = fixture();
            const [record] = await runChecks(
                lessonChecks(["failing-init"], { reader: () => reader }),
                f.observer,
                f.options,
            );
            assert.strictEqual(record.status, "failed");
            assert.strictEqual(record.attempts, 1);
            assert.match(record.message, message);
        }
    });
});
