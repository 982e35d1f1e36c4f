import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { StartupProbeLesson } from "./component";
import { findRecorded, isRecorded, promiseOf, registeredUrns, settle } from "../../tests/mocks";

type PodSpec = { initContainers: { name: string; startupProbe?: object; readinessProbe?: object }[] };

describe("lesson startup-probe", () => {
    describe("component (mocked engine)", () => {
        const provider = new k8s.Provider("startup-probe-tests", { kubeconfig: "fake" });

        it("creates both Pods as its children, through the provider, in the namespace, with its commands", async () => {
            const lesson = new StartupProbeLesson("unit-startup", { namespace: "lab-dev" }, { provider });
            const commands = await promiseOf(lesson.commands);
            assert.match(
                await promiseOf(lesson.readinessPod.urn),
                /::initsidecarlab:lessons:StartupProbe\$kubernetes:core\/v1:Pod::unit-startup-readiness$/,
            );
            for (const [style, podName, probe] of [
                ["startup", "lesson-startup-probe", "startupProbe"],
                ["readiness", "lesson-readiness-probe", "readinessProbe"],
            ] as const) {
                const pod = findRecorded("kubernetes:core/v1:Pod", `unit-startup-${style}`);
                assert.strictEqual(pod.provider, `${await promiseOf(provider.urn)}::startup-probe-tests-id`);
                assert.deepStrictEqual(
                    [
                        (pod.inputs.metadata as { name: string }).name,
                        (pod.inputs.metadata as { namespace: string }).namespace,
                    ],
                    [podName, "lab-dev"],
                );
                assert.ok((pod.inputs.spec as PodSpec).initContainers[0][probe], `${style}: ${probe}`);
            }
            assert.strictEqual(commands.describeStartup, "kubectl -n lab-dev describe pod lesson-startup-probe");
        });

        it("throws a ResourceError naming the lesson for a bad value, registering no Pod", async () => {
            assert.throws(
                () => new StartupProbeLesson("startup-bad", { warmUpSeconds: 1 }, { provider }),
                (err: Error) =>
                    err instanceof pulumi.ResourceError &&
                    err.message.startsWith(
                        'StartupProbe "startup-bad": warmUpSeconds must be a whole number from 4 to 60',
                    ),
            );
            // The mocks record a resource only once its registration settles: wait, or this cannot fail.
            await settle();
            assert.ok(!isRecorded("kubernetes:core/v1:Pod", "startup-bad-startup"));
            assert.ok(!registeredUrns().some((urn) => urn.endsWith("::startup-bad")));
        });
    });
});
