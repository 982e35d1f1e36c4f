import * as assert from "assert";
import type { DeployedLab } from "../../components/deployed";
import {
    DEFAULT_TIMEOUTS,
    labExpectations,
    labTimeouts,
    judgeInitCompleted,
    judgeMainAfterInit,
    judgeSideBySide,
    judgeStreaming,
    labChecks,
    sidecarMode,
} from "../../verify/checks";
import { Check } from "../../verify/model";
import { classicSidecarPod, imagePullPod, initPod, nativeSidecarPod, running, state, waiting } from "./fixtures";

const checks = labChecks({ initPod: "init-test", sidecarPod: "sidecar-test" });
const byId = (id: string): Check => checks.find((c) => c.id === id)!;

describe("verify: the lab's checks", () => {
    it("are four, with stable ids, a description and their own timeouts", () => {
        assert.deepStrictEqual(
            checks.map((c) => [c.id, c.timeoutSeconds]),
            [
                ["init-pod.init-completed", DEFAULT_TIMEOUTS.initCompleted],
                ["init-pod.main-after-init", DEFAULT_TIMEOUTS.mainAfterInit],
                ["sidecar-pod.side-by-side", DEFAULT_TIMEOUTS.sideBySide],
                ["sidecar-pod.streaming", DEFAULT_TIMEOUTS.streaming],
            ],
        );
        assert.deepStrictEqual(
            checks.map((c) => c.timeoutSeconds),
            [120, 120, 120, 150],
            "as docs/verify-report.md says",
        );
        for (const c of checks) assert.ok(c.description.endsWith("."), c.id);
        assert.deepStrictEqual(byId("sidecar-pod.streaming").logs, [
            { pod: "sidecar-test", container: "sidecar-container", lookBackSeconds: 10 },
        ]);
    });

    it("say a Pod is missing, naming the namespace", () => {
        const verdict = byId("init-pod.init-completed").judge(state({ "init-test": null }));
        assert.strictEqual(verdict.ok, false);
        assert.match(verdict.message, /Pod init-test is not in namespace lab-dev/);
        assert.deepStrictEqual(verdict.observed, { found: false });
        assert.strictEqual(verdict.final, true, "no waiting: after an up the Pods exist, so this is the wrong place");
    });
});

describe("verify: the init Pod", () => {
    it("passes when the init container completed and the main container started after it", () => {
        const pod = initPod(11, 12);
        const done = judgeInitCompleted(pod, "init-test");
        assert.ok(done.ok, done.message);
        assert.match(done.message, /init container "init-container" ran first and completed \(exit 0\) after 10 s/);
        assert.strictEqual(done.observed["init-container.finishedAt"], "2026-11-25T10:00:11.000Z");
        const order = judgeMainAfterInit(pod, "init-test");
        assert.ok(order.ok, order.message);
        assert.match(order.message, /started at 10:00:12, 1 s after the init container finished at 10:00:11/);
        assert.deepStrictEqual(order.observed, {
            mainState: "running",
            mainStartedAt: "2026-11-25T10:00:12.000Z",
            initFinishedAt: "2026-11-25T10:00:11.000Z",
        });
    });

    it("fails for good when the main container started before the init container finished", () => {
        const verdict = judgeMainAfterInit(initPod(11, 5), "init-test");
        assert.strictEqual(verdict.ok, false);
        assert.strictEqual(verdict.final, true, "waiting cannot fix the order");
        assert.match(verdict.message, /before the init containers had all completed/);
    });

    it("fails, saying why, when the init container failed or the main container waits", () => {
        const pod = initPod(11, undefined, 1);
        assert.match(judgeInitCompleted(pod, "init-test").message, /failed with exit code 1/);
        const order = judgeMainAfterInit(pod, "init-test");
        assert.match(order.message, /has not started; it is waiting \(PodInitializing\)/);
        assert.notStrictEqual(order.final, true, "it may still start");
    });

    it("fails while the init container runs or its image cannot be pulled", () => {
        const pod = initPod(11, undefined);
        pod.status!.initContainerStatuses![0] = running("init-container", 1);
        assert.match(judgeInitCompleted(pod, "init-test").message, /"init-container" has not completed; it is running/);
        const pull = judgeInitCompleted(imagePullPod(), "init-test");
        assert.match(pull.message, /it is waiting \(ImagePullBackOff\)/);
        assert.strictEqual(pull.observed["init-container.state"], "waiting (ImagePullBackOff)");
    });

    it("fails on a Pod with no init container status", () => {
        const verdict = judgeInitCompleted(
            { metadata: { name: "init-test" }, status: { phase: "Pending" } },
            "init-test",
        );
        assert.strictEqual(verdict.ok, false);
        assert.match(verdict.message, /no init container status yet \(phase Pending\)/);
    });
});

describe("verify: the sidecar Pod", () => {
    it("tells the classic and the native sidecar apart", () => {
        assert.strictEqual(sidecarMode(classicSidecarPod()), "classic");
        assert.strictEqual(sidecarMode(nativeSidecarPod()), "native");
        assert.strictEqual(sidecarMode({ spec: { containers: [{ name: "main-container" }] } }), undefined);
    });

    it("passes when both containers run side by side, in either mode", () => {
        for (const [pod, words] of [
            [classicSidecarPod(), "a second container"],
            [nativeSidecarPod(), "a native sidecar"],
        ] as const) {
            const verdict = judgeSideBySide(pod, "sidecar-test");
            assert.ok(verdict.ok, verdict.message);
            assert.ok(verdict.message.includes(words), verdict.message);
        }
    });

    it("fails when the sidecar is not running, and counts restarts", () => {
        const crash = judgeSideBySide(
            classicSidecarPod(waiting("sidecar-container", "CrashLoopBackOff", undefined, 4)),
            "sidecar-test",
        );
        assert.strictEqual(crash.ok, false);
        assert.match(crash.message, /the sidecar is waiting \(CrashLoopBackOff\); both should be running/);
        assert.strictEqual(crash.observed.restarts, 4);
        const restarted = judgeSideBySide(classicSidecarPod(running("sidecar-container", 2, 2)), "sidecar-test");
        assert.match(restarted.message, /\(2 restarts\)/);
    });

    it("fails for good on a Pod without the sidecar container", () => {
        const verdict = judgeSideBySide(
            { metadata: { name: "x" }, spec: { containers: [{ name: "main-container" }] } },
            "x",
        );
        assert.strictEqual(verdict.ok, false);
        assert.strictEqual(verdict.final, true);
    });
});

describe("verify: streaming", () => {
    it("passes when the sidecar's log gained lines, and names the last one", () => {
        const verdict = judgeStreaming(
            state({}, ["Hello Container\n", "Hello Container\nHello Container\n", 5]),
            "sidecar-test",
        );
        assert.deepStrictEqual(verdict, {
            ok: true,
            message: 'sidecar-test: the sidecar is streaming: 1 new line in 5 s (last: "Hello Container").',
            observed: { linesBefore: 1, linesAfter: 2, secondsWatched: 5 },
        });
    });

    it("fails when nothing new arrived, or the log was never read", () => {
        const same = judgeStreaming(state({}, ["Hello Container\n", "Hello Container\n\n", 15]), "sidecar-test");
        assert.strictEqual(same.ok, false);
        assert.match(same.message, /no new line in 15 s/);
        assert.match(judgeStreaming(state({}), "sidecar-test").message, /could not be read yet/);
    });

    it("as a check, first requires both containers to run", () => {
        const check = byId("sidecar-pod.streaming");
        const crash = classicSidecarPod(waiting("sidecar-container", "CrashLoopBackOff"));
        assert.match(check.judge(state({ "sidecar-test": crash })).message, /both should be running/);
        const ok = check.judge(
            state({ "sidecar-test": classicSidecarPod() }, [
                "Hello Container\n",
                "Hello Container\nHello Container\n",
                4,
            ]),
        );
        assert.ok(ok.ok, ok.message);
    });
});

describe("verify: what was deployed", () => {
    const deployedWith = (init: object, sidecar: object) =>
        ({
            version: 1,
            initPod: {
                podName: "init-test",
                image: "busybox",
                waitForReady: true,
                initDelaySeconds: 10,
                initSteps: [],
                ...init,
            },
            sidecarPod: {
                podName: "sidecar-test",
                image: "busybox",
                waitForReady: true,
                message: "Hello Container",
                intervalSeconds: 5,
                logPath: "/var/log/app.log",
                sidecarMode: "classic",
                ...sidecar,
            },
            lessons: {},
        }) as DeployedLab;
    const timeoutOf = (checks: ReturnType<typeof labChecks>, id: string) =>
        checks.find((c) => c.id === id)?.timeoutSeconds;

    it("waits as long as the deployed delay and interval need: a line every 160 s gets more than two intervals", () => {
        const slow = labChecks({
            initPod: "init-test",
            sidecarPod: "sidecar-test",
            deployed: deployedWith({ initDelaySeconds: 25 }, { intervalSeconds: 160 }),
        });
        assert.strictEqual(timeoutOf(slow, "init-pod.init-completed"), DEFAULT_TIMEOUTS.initCompleted + 15);
        const streaming = timeoutOf(slow, "sidecar-pod.streaming") ?? 0;
        assert.ok(streaming > 2 * 160 && streaming > DEFAULT_TIMEOUTS.streaming, String(streaming));
        assert.deepStrictEqual(labTimeouts(labExpectations()), DEFAULT_TIMEOUTS);
    });

    it("quotes the deployed message, log path and interval, and refuses a line that is not the message", () => {
        const expect = { message: "Hi there", logPath: "/var/log/x/app.log", intervalSeconds: 12 };
        const good = judgeStreaming(state({}, ["Hi there\n", "Hi there\nHi there\n", 13]), "sidecar-test", expect);
        assert.strictEqual(
            good.message,
            'sidecar-test: the sidecar is streaming /var/log/x/app.log: 1 new line in 13 s (last: "Hi there") (the app writes every 12 s).',
        );
        const wrong = judgeStreaming(state({}, ["Hi there\n", "Hi there\nHello\n", 13]), "sidecar-test", expect);
        assert.strictEqual(wrong.ok, false);
        assert.match(wrong.message, /its last is "Hello", not the deployed message "Hi there"/);
    });

    it("says the deployed delay when the init container completes", () => {
        const checks = labChecks({
            initPod: "init-test",
            sidecarPod: "sidecar-test",
            deployed: deployedWith({ initDelaySeconds: 25 }, {}),
        });
        const pod = {
            metadata: { name: "init-test" },
            status: {
                phase: "Running",
                initContainerStatuses: [
                    {
                        name: "init-container",
                        image: "busybox",
                        imageID: "",
                        ready: false,
                        restartCount: 0,
                        state: { terminated: { exitCode: 0, startedAt: new Date(0), finishedAt: new Date(25000) } },
                    },
                ],
            },
        };
        const verdict = checks[0].judge(state({ "init-test": pod }));
        assert.ok(verdict.ok, verdict.message);
        assert.match(verdict.message, /after 25 s \(deployed with initDelaySeconds 25\)\.$/);
    });
});
