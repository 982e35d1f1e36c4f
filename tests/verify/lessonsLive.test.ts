import * as assert from "assert";
import type { V1Pod } from "@kubernetes/client-node";
import { LessonReader, runLessonChecks } from "../../verify/lessonsLive";

/** A reader whose Pod changes from one read to the next, as a live one does. */
function fakeReader(pods: (V1Pod | undefined)[]): LessonReader & { reads: number } {
    const reader = {
        reads: 0,
        pod: async () => pods[Math.min(reader.reads++, pods.length - 1)],
        service: async () => undefined,
        observeJob: async (name: string) => ({ name, job: undefined, pods: [] }),
        log: async () => "",
        eventCount: async () => 0,
        fetch: async () => ({ ok: false as const, error: "not in this test" }),
    };
    return reader;
}

const initPod = (
    state: NonNullable<NonNullable<V1Pod["status"]>["initContainerStatuses"]>[number]["state"],
): V1Pod => ({
    metadata: { name: "lesson-failing-init" },
    status: {
        phase: "Pending",
        initContainerStatuses: [
            { name: "check-config", image: "busybox", imageID: "", ready: false, restartCount: 0, state },
        ],
        containerStatuses: [],
    },
});

describe("verify: running the lessons' checks (fake reader)", () => {
    const quiet = { waitSeconds: 5, pollMs: 1, progress: () => undefined };

    it("re-reads a lesson between two expected states until it shows one", async () => {
        const reader = fakeReader([
            initPod({ waiting: { reason: "PodInitializing" } }),
            initPod({ running: {} }),
            initPod({ terminated: { exitCode: 1, message: "Not found\n" } }),
        ]);
        const progress: string[] = [];
        const [result] = await runLessonChecks(reader, ["failing-init"], {
            ...quiet,
            progress: (l) => progress.push(l),
        });
        assert.strictEqual(reader.reads, 3);
        assert.strictEqual(result.ok, true);
        assert.match(result.message, /^lesson failing-init \(failing\): Pod lesson-failing-init is Init:Error/);
        assert.deepStrictEqual(progress, ["lesson failing-init: starting, re-checking for up to 5 s ..."]);
    });

    it("gives up after the wait, with the last verdict, and names a lesson it does not know, last", async () => {
        const results = await runLessonChecks(fakeReader([undefined]), ["time-travel", "native-sidecar"], {
            ...quiet,
            waitSeconds: 0,
        });
        assert.deepStrictEqual(
            results.map((r) => r.ok),
            [false, false],
        );
        assert.match(
            results[0].message,
            /^lesson native-sidecar \(missing\): Job lesson-classic-sidecar does not exist/,
        );
        assert.match(results[1].message, /^lesson time-travel: this verify does not know it \(it knows failing-init, /);
    });
});
