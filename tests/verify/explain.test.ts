import * as assert from "assert";
import type { V1Pod } from "@kubernetes/client-node";
import { LAST_EVENTS, containerReports, explainPods, podEvents, renderExplanation } from "../../verify/explain";
import { Verdict } from "../../verify/model";
import { classicSidecarPod, event, imagePullPod, initPod, running, state, waiting } from "./fixtures";

const failed: Verdict = { ok: false, message: "x", observed: {} };

function explain(pod: V1Pod | null, name = "init-test", evidence: Parameters<typeof state>[2] = {}) {
    return explainPods(state({ [name]: pod }, undefined, evidence), [name], failed);
}

describe("verify: explanations", () => {
    it("an image that cannot be pulled: phase, conditions, the reason, the events and a hint naming the image", () => {
        const evidence = {
            events: [
                event("init-test", "Scheduled", "Successfully assigned lab-dev/init-test", 0, "Normal"),
                event("init-test", "Failed", 'Failed to pull image "busybox:no-such-tag": not found', 3, "Warning", 3),
                event("init-test", "Failed", "Error: ErrImagePull", 3),
                event("init-test", "BackOff", 'Back-off pulling image "busybox:no-such-tag"', 9),
                event("other-pod", "Killing", "not about this Pod", 9),
            ],
        };
        const explanation = explain(imagePullPod(), "init-test", evidence);
        const [pod] = explanation.pods;
        assert.strictEqual(pod.phase, "Pending");
        assert.deepStrictEqual([pod.status, pod.ready, pod.restarts], ["Init:ImagePullBackOff", "0/1", 0]);
        assert.deepStrictEqual(pod.conditions, [
            "Initialized False (ContainersNotInitialized)",
            "Ready False (ContainersNotReady)",
            "PodScheduled True",
        ]);
        assert.deepStrictEqual(pod.containers[0], {
            name: "init-container",
            kind: "init",
            image: "busybox:no-such-tag",
            state: "waiting",
            reason: "ImagePullBackOff",
            message: 'Back-off pulling image "busybox:no-such-tag"',
            restarts: 0,
        });
        assert.deepStrictEqual(
            pod.events.map((e) => e.reason),
            ["Scheduled", "Failed", "Failed", "BackOff"],
        );
        assert.strictEqual(pod.events[1].count, 3);
        assert.match(
            explanation.hint,
            /image "busybox:no-such-tag" of container init-container cannot be pulled \(ImagePullBackOff\)/,
        );
        assert.match(explanation.hint, /pulumi config get init-sidecar-lab:image/);
        // Offline: the lab's own way in (the Pods pull only what the node lacks, so a loaded image is used).
        assert.match(explanation.hint, /npm run classroom -- images load FILE\) and run npm run up again/);

        const text = renderExplanation(explanation, "").join("\n");
        // First what `kubectl get pod` shows, then the phase and conditions it does not.
        assert.match(
            text,
            /^Pod init-test: Init:ImagePullBackOff, READY 0\/1, RESTARTS 0; phase Pending; Initialized False/m,
        );
        assert.match(text, /init container init-container \[busybox:no-such-tag\]: waiting \(ImagePullBackOff\)/);
        assert.match(text, /10:00:03 Warning Failed \(x3\): Failed to pull image/);
        assert.match(text, /^hint: The image/m);
    });

    it("ErrImagePull gives the same hint", () => {
        assert.match(explain(imagePullPod("ErrImagePull")).hint, /cannot be pulled \(ErrImagePull\)/);
    });

    it("keeps only the last events, oldest first", () => {
        const events = Array.from({ length: 8 }, (_, i) => event("init-test", `R${i}`, "m", 10 - i));
        const kept = podEvents(events, "init-test");
        assert.strictEqual(kept.length, LAST_EVENTS);
        assert.deepStrictEqual(
            kept.map((e) => e.reason),
            ["R4", "R3", "R2", "R1", "R0"],
        );
    });

    it("a crash loop: the restarts, the last exit and a kubectl logs --previous hint", () => {
        const crashing = waiting("sidecar-container", "CrashLoopBackOff", "back-off 40s restarting", 4);
        crashing.lastState = { terminated: { exitCode: 1, reason: "Error" } };
        const pod = classicSidecarPod(crashing);
        const explanation = explainPods(
            state({ "sidecar-test": pod }, undefined, {
                tails: { "sidecar-test/sidecar-container": ["tail: no such file"] },
            }),
            ["sidecar-test"],
            failed,
        );
        assert.match(
            explanation.hint,
            /sidecar-container keeps exiting \(last exit code 1\): read why with kubectl logs sidecar-test -c sidecar-container -n lab-dev --previous/,
        );
        const text = renderExplanation(explanation, "").join("\n");
        assert.match(
            text,
            /container sidecar-container \[busybox:1.37.0\]: waiting \(CrashLoopBackOff\), 4 restarts, last run ended: Error \(exit 1\)/,
        );
        assert.match(text, /last log lines of sidecar-container:\n {4}\| tail: no such file/);
    });

    it("a crash loop between pulls of a missing image: the pull events name the cause, for the image in the spec", () => {
        const crashing = waiting("sidecar-container", "CrashLoopBackOff", undefined, 1);
        crashing.lastState = { terminated: { exitCode: 137, reason: "Error" } };
        const pod = classicSidecarPod(crashing);
        pod.spec!.containers[1].image = "busybox:no-such-tag";
        const pulls = [
            event("sidecar-test", "Failed", 'Failed to pull image "busybox:no-such-tag": not found', 20),
            event("sidecar-test", "BackOff", 'Back-off pulling image "busybox:no-such-tag"', 25, "Normal"),
        ];
        const hint = explain(pod, "sidecar-test", { events: pulls }).hint;
        assert.match(
            hint,
            /image "busybox:no-such-tag" of container sidecar-container cannot be pulled \(the kubelet's events: BackOff\)/,
        );
        // An old pull failure of an image no container has any more does not count.
        pod.spec!.containers[1].image = "busybox:1.37.0";
        assert.match(explain(pod, "sidecar-test", { events: pulls }).hint, /keeps exiting \(last exit code 137\)/);
    });

    it("OOMKilled wins over the crash loop it causes", () => {
        const crashing = waiting("sidecar-container", "CrashLoopBackOff", undefined, 2);
        crashing.lastState = { terminated: { exitCode: 137, reason: "OOMKilled" } };
        assert.match(
            explain(classicSidecarPod(crashing), "sidecar-test").hint,
            /ran out of memory.*OOMKilled.*memory limit/,
        );
    });

    it("CreateContainerConfigError names the kubelet's message", () => {
        const pod = classicSidecarPod(
            waiting(
                "sidecar-container",
                "CreateContainerConfigError",
                "container has runAsNonRoot and image will run as root",
            ),
        );
        assert.match(
            explain(pod, "sidecar-test").hint,
            /could not set container sidecar-container up: container has runAsNonRoot/,
        );
    });

    it("an init container that exited non-zero, an unschedulable Pod, a slow init, a missing Pod", () => {
        assert.match(
            explain(initPod(11, undefined, 3)).hint,
            /init-container exited with code 3: read its log with kubectl logs init-test -c init-container -n lab-dev/,
        );

        const pending: V1Pod = {
            metadata: { name: "init-test" },
            spec: { containers: [{ name: "main-container", image: "busybox:1.37.0" }] },
            status: {
                phase: "Pending",
                conditions: [
                    {
                        type: "PodScheduled",
                        status: "False",
                        reason: "Unschedulable",
                        message: "0/1 nodes are available",
                    },
                ],
            },
        };
        const unscheduled = explain(pending);
        assert.strictEqual(unscheduled.pods[0].containers[0].state, "not started");
        assert.match(unscheduled.hint, /No node can run Pod init-test/);

        const slow = initPod(11, undefined);
        slow.status!.initContainerStatuses![0] = running("init-container", 1);
        assert.match(explain(slow).hint, /still running \(it waits initDelaySeconds.*--timeout/);

        const missing = explain(null);
        assert.deepStrictEqual(missing.pods[0], {
            name: "init-test",
            found: false,
            conditions: [],
            containers: [],
            events: [],
            logs: [],
        });
        assert.match(
            missing.hint,
            /Pod init-test does not exist in namespace lab-dev: bring the lab up \(npm run up\)/,
        );
    });

    it("a sidecar that runs but prints nothing points at the shared volume", () => {
        const quiet: Verdict = { ok: false, message: "x", observed: { linesBefore: 2, linesAfter: 2 } };
        const explanation = explainPods(state({ "sidecar-test": classicSidecarPod() }), ["sidecar-test"], quiet);
        assert.match(explanation.hint, /shared volume at the same logPath/);
    });

    it("lists containers without a status as not started, in spec order", () => {
        const pod: V1Pod = {
            spec: {
                initContainers: [{ name: "a", image: "i" }],
                containers: [{ name: "b", image: "i" }],
            },
            status: {},
        };
        assert.deepStrictEqual(
            containerReports(pod).map((c) => [c.kind, c.name, c.state]),
            [
                ["init", "a", "not started"],
                ["app", "b", "not started"],
            ],
        );
    });
});
