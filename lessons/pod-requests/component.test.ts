import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { PodRequestsLesson } from "./component";
import { findRecorded, isRecorded, promiseOf, settle } from "../../tests/mocks";

describe("lesson pod-requests", () => {
    describe("component (mocked engine)", () => {
        const provider = new k8s.Provider("pod-requests-tests", { kubeconfig: "fake" });

        it("creates both Pods, then the quota after them, as its children, through the provider", async () => {
            const lesson = new PodRequestsLesson(
                "unit-requests",
                { namespace: "lab-dev", appCpu: "30m" },
                { provider },
            );
            await promiseOf(lesson.commands);
            assert.match(
                await promiseOf(lesson.quota.urn),
                /::initsidecarlab:lessons:PodRequests\$kubernetes:core\/v1:ResourceQuota::unit-requests$/,
            );
            await settle();
            const quota = findRecorded("kubernetes:core/v1:ResourceQuota", "unit-requests");
            for (const [style, owned] of [
                ["classic", lesson.classicPod],
                ["native", lesson.nativePod],
            ] as const) {
                const pod = findRecorded("kubernetes:core/v1:Pod", `unit-requests-${style}`);
                assert.strictEqual(pod.provider, `${await promiseOf(provider.urn)}::pod-requests-tests-id`);
                assert.ok(
                    quota.dependencies.includes(await promiseOf(owned.urn)),
                    `the quota comes after the ${style} Pod`,
                );
                const spec = pod.inputs.spec as {
                    containers: { name: string; resources: { requests: { cpu: string } } }[];
                };
                assert.strictEqual(spec.containers.find((c) => c.name === "app")?.resources.requests.cpu, "30m");
            }
        });

        it("throws a ResourceError naming the lesson for a bad value, registering nothing", async () => {
            assert.throws(
                () => new PodRequestsLesson("requests-bad", { setupMemory: "lots" }, { provider }),
                (err: Error) =>
                    err instanceof pulumi.ResourceError &&
                    err.message.startsWith(
                        'PodRequests "requests-bad": setupMemory must be a positive Kubernetes quantity',
                    ),
            );
            // The mocks record a resource only once its registration settles: wait, or this cannot fail.
            await settle();
            assert.ok(!isRecorded("kubernetes:core/v1:ResourceQuota", "requests-bad"));
            assert.ok(!isRecorded("kubernetes:core/v1:Pod", "requests-bad-native"));
        });
    });
});
