import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { SidecarRestartLesson } from "./component";
import { findRecorded, isRecorded, promiseOf, settle } from "../../tests/mocks";

describe("lesson sidecar-restart", () => {
    describe("component (mocked engine)", () => {
        const provider = new k8s.Provider("sidecar-restart-tests", { kubeconfig: "fake" });

        it("creates the Pod under the lesson, skipping the await, with watch, logs and restarts", async () => {
            const lesson = new SidecarRestartLesson(
                "unit-restart",
                { namespace: "lab-dev", exitCode: 0 },
                { provider },
            );
            const commands = await promiseOf(lesson.commands);
            assert.match(
                await promiseOf(lesson.pod.urn),
                /::initsidecarlab:lessons:SidecarRestart\$kubernetes:core\/v1:Pod::unit-restart$/,
            );
            const pod = findRecorded("kubernetes:core/v1:Pod", "unit-restart");
            const metadata = pod.inputs.metadata as { annotations?: Record<string, string>; namespace: string };
            assert.deepStrictEqual(metadata.annotations, { "pulumi.com/skipAwait": "true" });
            assert.strictEqual(metadata.namespace, "lab-dev");
            assert.deepStrictEqual(Object.keys(commands), ["watch", "describe", "logs", "restarts"]);
            assert.deepStrictEqual(Object.keys(commands.logs), ["native-sidecar", "app", "classic-sidecar"]);
            const spec = pod.inputs.spec as { containers: { command: string[] }[] };
            assert.match(spec.containers[1].command[2], /exit 0\n$/);
        });

        it("throws a ResourceError naming the lesson before registering its Pod", async () => {
            assert.throws(
                () => new SidecarRestartLesson("restart-bad", { exitAfterSeconds: 0 }, { provider }),
                (err: Error) =>
                    err instanceof pulumi.ResourceError &&
                    err.message.startsWith(
                        'SidecarRestart "restart-bad": exitAfterSeconds must be a whole number from 2 to 60',
                    ),
            );
            // The mocks record a resource only once its registration settles: wait, or this cannot fail.
            await settle();
            assert.ok(!isRecorded("kubernetes:core/v1:Pod", "restart-bad"));
        });
    });
});
