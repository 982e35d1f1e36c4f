import * as assert from "assert";
import type { V1ContainerStatus, V1Pod } from "@kubernetes/client-node";
import { at, pod, running, waiting } from "../shared/testPods";
import { judgeStartupProbe } from "./judge";

/** A lesson Pod as the API server shows it: its native sidecar, its statuses, and the conditions that turned True. */
function lessonPod(
    name: string,
    sidecar: V1ContainerStatus,
    app: V1ContainerStatus,
    conditions: Record<string, Date> = {},
    native = true,
): V1Pod {
    const p = pod(name, [sidecar], [app], "Running");
    return {
        ...p,
        spec: {
            containers: [{ name: "app" }],
            initContainers: [{ name: "sidecar", ...(native ? { restartPolicy: "Always" } : {}) }],
        },
        status: {
            ...p.status,
            conditions: Object.entries(conditions).map(([type, time]) => ({
                type,
                status: "True",
                lastTransitionTime: time,
            })),
        },
    };
}

describe("lesson startup-probe: the judge (pure)", () => {
    // The startupProbe held the app back 9 s; without it the app started 1 s after its sidecar, ready 9 s later.
    const startup = lessonPod(
        "lesson-startup-probe",
        running("sidecar", at(1), { started: true }),
        running("app", at(10)),
        {
            Initialized: at(10),
            Ready: at(10),
        },
    );
    const readiness = lessonPod("lesson-readiness-probe", running("sidecar", at(1)), running("app", at(2)), {
        Initialized: at(1),
        Ready: at(10),
    });

    it("passes as shown, naming each Pod's sidecar start, probe and app start from the API server's timestamps", () => {
        const verdict = judgeStartupProbe(startup, readiness, 8, at(20).getTime());
        assert.deepStrictEqual([verdict.status, verdict.state], ["pass", "shown"], verdict.message);
        assert.match(
            verdict.message,
            /Pod lesson-startup-probe: the sidecar started at 10:00:01; its startupProbe passed at 10:00:10 \(the Pod turned Initialized\), and only then did the app start, at 10:00:10, 9 s after the sidecar\./,
        );
        assert.match(
            verdict.message,
            /Pod lesson-readiness-probe: the sidecar started at 10:00:01 and the app at once, at 10:00:02; the sidecar's readinessProbe passed only at 10:00:10 \(the Pod turned Ready\): the app ran 8 s beside a sidecar that was not ready\./,
        );
    });

    it("fails as starting while a sidecar warms up, saying who waits for what", () => {
        const warming = lessonPod("lesson-startup-probe", running("sidecar", at(1)), waiting("app", "PodInitializing"));
        const notReady = lessonPod("lesson-readiness-probe", running("sidecar", at(1)), running("app", at(2)));
        const verdict = judgeStartupProbe(warming, notReady, 8, at(5).getTime());
        assert.deepStrictEqual([verdict.status, verdict.state], ["fail", "starting"]);
        assert.match(
            verdict.message,
            /the sidecar is warming up \(4 s so far\) and the app waits for its startupProbe/,
        );
        assert.match(verdict.message, /the app started at 10:00:02 and the sidecar is still warming up \(not ready\)/);
    });

    it("fails as broken when the startupProbe did not hold the app back for the warm-up", () => {
        const early = lessonPod(
            "lesson-startup-probe",
            running("sidecar", at(1), { started: true }),
            running("app", at(3)),
        );
        const verdict = judgeStartupProbe(early, readiness, 8, at(20).getTime());
        assert.deepStrictEqual([verdict.status, verdict.state], ["fail", "broken"]);
        assert.match(verdict.message, /the app started 2 s after the sidecar, before its 8 s warm-up ended/);
    });

    it("fails as broken when the app without a startupProbe waited until its sidecar was ready", () => {
        const held = lessonPod("lesson-readiness-probe", running("sidecar", at(1)), running("app", at(10)), {
            Ready: at(10),
        });
        const verdict = judgeStartupProbe(startup, held, 8, at(20).getTime());
        assert.deepStrictEqual([verdict.status, verdict.state], ["fail", "broken"]);
        assert.match(
            verdict.message,
            /only once the sidecar was ready \(10:00:10\): a readinessProbe should not hold it back/,
        );
    });

    it("says when the cluster runs the sidecar as a plain init container, and when a Pod is missing", () => {
        const plain = lessonPod(
            "lesson-startup-probe",
            running("sidecar", at(1)),
            waiting("app", "PodInitializing"),
            {},
            false,
        );
        const verdict = judgeStartupProbe(plain, readiness, 8, at(20).getTime());
        assert.deepStrictEqual([verdict.status, verdict.state], ["fail", "broken"]);
        assert.match(verdict.message, /does not support native sidecars/);
        const gone = judgeStartupProbe(startup, undefined, 8, 0);
        assert.deepStrictEqual(
            [gone.state, gone.message.startsWith("Pod lesson-readiness-probe does not exist")],
            ["missing", true],
        );
    });
});
