import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { ShutdownOrderLesson } from "./component";
import { findRecorded, isRecorded, promiseOf, registeredUrns, settle } from "../../tests/mocks";

describe("lesson shutdown-order", () => {
    describe("component (mocked engine)", () => {
        const provider = new k8s.Provider("shutdown-order-tests", { kubeconfig: "fake" });

        it("creates the ReplicaSet as its child, through the provider, in the namespace, with its commands", async () => {
            const lesson = new ShutdownOrderLesson(
                "unit-shutdown",
                { namespace: "lab-dev", stopSeconds: 3 },
                { provider },
            );
            const commands = await promiseOf(lesson.commands);
            assert.match(
                await promiseOf(lesson.replicaSet.urn),
                /::initsidecarlab:lessons:ShutdownOrder\$kubernetes:apps\/v1:ReplicaSet::unit-shutdown$/,
            );
            const rs = findRecorded("kubernetes:apps/v1:ReplicaSet", "unit-shutdown");
            assert.strictEqual(rs.provider, `${await promiseOf(provider.urn)}::shutdown-order-tests-id`);
            const spec = rs.inputs.spec as { template: { spec: { terminationGracePeriodSeconds: number } } };
            assert.strictEqual(spec.template.spec.terminationGracePeriodSeconds, 19);
            assert.strictEqual((rs.inputs.metadata as { namespace: string }).namespace, "lab-dev");
            assert.match(String(commands.stop), /^kubectl -n lab-dev patch \$\(kubectl -n lab-dev get pods /);
            assert.deepStrictEqual(await promiseOf(lesson.settings), {
                stopSeconds: 3,
                image: "busybox:1.37.0",
                waitForReady: true,
            });
        });

        it("throws a ResourceError naming the lesson for a bad value, registering nothing", async () => {
            assert.throws(
                () => new ShutdownOrderLesson("shutdown-bad", { stopSeconds: 30 }, { provider }),
                (err: Error) =>
                    err instanceof pulumi.ResourceError &&
                    err.message.startsWith(
                        'ShutdownOrder "shutdown-bad": stopSeconds must be a whole number from 1 to 10',
                    ),
            );
            // The mocks record a resource only once its registration settles: wait, or this cannot fail.
            await settle();
            assert.ok(!isRecorded("kubernetes:apps/v1:ReplicaSet", "shutdown-bad"));
            assert.ok(!registeredUrns().some((urn) => urn.endsWith("::shutdown-bad")));
        });
    });
});
