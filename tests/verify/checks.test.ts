import * as assert from "assert";
import { LivePod, checkInitPod, checkSidecarPod, checkStreaming, renderReport, sidecarMode } from "../../verify/checks";

// Live Pods as the API server reports them, trimmed to the fields the checks read.

function initPod(initFinished: string, mainStarted: string | undefined, exitCode = 0): LivePod {
    return {
        metadata: { name: "init-test", creationTimestamp: "2026-11-25T10:00:00Z" },
        status: {
            phase: "Running",
            initContainerStatuses: [
                {
                    name: "init-container",
                    state: {
                        terminated: {
                            exitCode,
                            reason: "Completed",
                            startedAt: "2026-11-25T10:00:01Z",
                            finishedAt: initFinished,
                        },
                    },
                },
            ],
            containerStatuses: [
                {
                    name: "main-container",
                    state: mainStarted
                        ? { running: { startedAt: mainStarted } }
                        : { waiting: { reason: "PodInitializing" } },
                },
            ],
        },
    };
}

const running = (name: string, startedAt = "2026-11-25T10:00:02Z", restartCount = 0) => ({
    name,
    restartCount,
    state: { running: { startedAt } },
});

const classicSidecarPod: LivePod = {
    metadata: { name: "sidecar-test" },
    spec: { containers: [{ name: "main-container" }, { name: "sidecar-container" }] },
    status: { containerStatuses: [running("main-container"), running("sidecar-container")] },
};

const nativeSidecarPod: LivePod = {
    metadata: { name: "sidecar-test" },
    spec: {
        initContainers: [{ name: "sidecar-container", restartPolicy: "Always" }],
        containers: [{ name: "main-container" }],
    },
    status: {
        initContainerStatuses: [running("sidecar-container", "2026-11-25T10:00:01Z")],
        containerStatuses: [running("main-container")],
    },
};

describe("verify: the init Pod", () => {
    it("passes when the init container completed and the main container started after it", () => {
        const results = checkInitPod(initPod("2026-11-25T10:00:11Z", "2026-11-25T10:00:12Z"));
        assert.deepStrictEqual(
            results.map((r) => r.ok),
            [true, true],
        );
        assert.match(
            results[0].message,
            /init container "init-container" ran first and completed \(exit 0\) after 10 s/,
        );
        assert.match(results[1].message, /started at 10:00:12, 1 s after the init container finished at 10:00:11/);
    });

    it("fails when the main container started before the init container finished", () => {
        const results = checkInitPod(initPod("2026-11-25T10:00:11Z", "2026-11-25T10:00:05Z"));
        assert.strictEqual(results[1].ok, false);
        assert.match(results[1].message, /before the init containers had all completed/);
    });

    it("fails, saying why, when the init container failed or the main container waits", () => {
        const failed = checkInitPod(initPod("2026-11-25T10:00:11Z", undefined, 1));
        assert.match(failed[0].message, /failed with exit code 1/);
        assert.match(failed[1].message, /has not started; it is waiting \(PodInitializing\)/);
        assert.ok(failed.every((r) => !r.ok));
    });

    it("fails when the init container is still running", () => {
        const pod = initPod("2026-11-25T10:00:11Z", undefined);
        pod.status!.initContainerStatuses![0].state = { running: { startedAt: "2026-11-25T10:00:01Z" } };
        assert.match(checkInitPod(pod)[0].message, /"init-container" has not completed; it is running/);
    });

    it("fails on a Pod with no init container status", () => {
        const [result] = checkInitPod({ metadata: { name: "init-test" }, status: { phase: "Pending" } });
        assert.strictEqual(result.ok, false);
        assert.match(result.message, /no init container status yet \(phase Pending\)/);
    });
});

describe("verify: the sidecar Pod", () => {
    it("tells the classic and the native sidecar apart", () => {
        assert.strictEqual(sidecarMode(classicSidecarPod), "classic");
        assert.strictEqual(sidecarMode(nativeSidecarPod), "native");
        assert.strictEqual(sidecarMode({ spec: { containers: [{ name: "main-container" }] } }), undefined);
    });

    it("passes when both containers run side by side, in either mode", () => {
        for (const [pod, words] of [
            [classicSidecarPod, "a second container"],
            [nativeSidecarPod, "a native sidecar"],
        ] as const) {
            const [result] = checkSidecarPod(pod);
            assert.ok(result.ok, result.message);
            assert.ok(result.message.includes(words), result.message);
        }
    });

    it("fails when the sidecar is not running", () => {
        const pod: LivePod = {
            ...classicSidecarPod,
            status: {
                containerStatuses: [
                    running("main-container"),
                    { name: "sidecar-container", state: { waiting: { reason: "CrashLoopBackOff" } } },
                ],
            },
        };
        const [result] = checkSidecarPod(pod);
        assert.strictEqual(result.ok, false);
        assert.match(result.message, /the sidecar is waiting \(CrashLoopBackOff\); both should be running/);
    });

    it("counts restarts in the message", () => {
        const pod: LivePod = {
            ...classicSidecarPod,
            status: { containerStatuses: [running("main-container"), running("sidecar-container", undefined, 2)] },
        };
        assert.match(checkSidecarPod(pod)[0].message, /\(2 restarts\)/);
    });

    it("fails on a Pod without the sidecar container", () => {
        const [result] = checkSidecarPod({
            metadata: { name: "x" },
            spec: { containers: [{ name: "main-container" }] },
        });
        assert.strictEqual(result.ok, false);
    });
});

describe("verify: streaming and the report", () => {
    it("passes when the sidecar's log gained lines, and names the last one", () => {
        const result = checkStreaming("sidecar-test", "Hello Container\n", "Hello Container\nHello Container\n", 5);
        assert.deepStrictEqual(result, {
            ok: true,
            message: 'sidecar-test: the sidecar is streaming: 1 new line in 5 s (last: "Hello Container").',
        });
    });

    it("fails when nothing new arrived", () => {
        const result = checkStreaming("sidecar-test", "Hello Container\n", "Hello Container\n\n", 15);
        assert.strictEqual(result.ok, false);
        assert.match(result.message, /no new line in 15 s/);
    });

    it("reports every check and a verdict", () => {
        const report = renderReport([
            { ok: true, message: "a" },
            { ok: false, message: "b" },
        ]);
        assert.strictEqual(report, "PASS  a\nFAIL  b\n1 of 2 checks failed.");
        assert.match(renderReport([{ ok: true, message: "a" }]), /All 1 checks passed/);
    });
});
