import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { NativeSidecarLesson } from "./component";
import { findRecorded, isRecorded, promiseOf, registeredUrns, settle } from "../../tests/mocks";

type JobSpec = {
    backoffLimit: number;
    template: {
        spec: {
            restartPolicy: string;
            initContainers?: { name: string; restartPolicy?: string }[];
            containers: { name: string }[];
        };
    };
};

describe("lesson native-sidecar", () => {
    describe("component (mocked engine)", () => {
        const provider = new k8s.Provider("native-sidecar-tests", { kubeconfig: "fake" });

        it("creates both Jobs as its children, through the provider, in the namespace", async () => {
            const lesson = new NativeSidecarLesson("unit-native", { namespace: "lab-dev" }, { provider });
            const commands = await promiseOf(lesson.commands);
            assert.match(
                await promiseOf(lesson.nativeJob.urn),
                /::initsidecarlab:lessons:NativeSidecar\$kubernetes:batch\/v1:Job::unit-native-native$/,
            );
            for (const style of ["classic", "native"]) {
                const job = findRecorded("kubernetes:batch/v1:Job", `unit-native-${style}`);
                assert.strictEqual(job.provider, `${await promiseOf(provider.urn)}::native-sidecar-tests-id`);
                assert.strictEqual((job.inputs.metadata as { namespace: string }).namespace, "lab-dev");
                const spec = job.inputs.spec as JobSpec;
                assert.strictEqual(spec.template.spec.restartPolicy, "Never");
            }
            assert.strictEqual(commands.describeNative, "kubectl -n lab-dev describe job lesson-native-sidecar");
        });

        it("throws a ResourceError naming the lesson for a bad value, registering no Job", async () => {
            assert.throws(
                () => new NativeSidecarLesson("native-bad", { lines: 0 }, { provider }),
                (err: Error) =>
                    err instanceof pulumi.ResourceError &&
                    err.message.startsWith('NativeSidecar "native-bad": lines must be a whole number from 1 to 100'),
            );
            // The mocks record a resource only once its registration settles: wait, or this cannot fail.
            await settle();
            assert.ok(!isRecorded("kubernetes:batch/v1:Job", "native-bad-native"));
            assert.ok(!isRecorded("kubernetes:batch/v1:Job", "native-bad-classic"));
            assert.ok(!registeredUrns().some((urn) => urn.endsWith("::native-bad")));
        });
    });
});
