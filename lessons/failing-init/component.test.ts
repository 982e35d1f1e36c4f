import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { FailingInitLesson } from "./component";
import { findRecorded, isRecorded, promiseOf, registeredUrns, settle } from "../../tests/mocks";

describe("lesson failing-init", () => {
    describe("component (mocked engine)", () => {
        const provider = new k8s.Provider("failing-init-tests", { kubeconfig: "fake" });

        it("creates the Pod under the lesson, through the provider, skipping the await, with its commands", async () => {
            const lesson = new FailingInitLesson(
                "unit-failing-init",
                { namespace: "lab-dev", kubeContext: "kind-lab-dev" },
                { provider },
            );
            const commands = await promiseOf(lesson.commands);
            // The mocked engine names only the immediate parent's type in a URN: the lesson owns its Pod.
            assert.match(
                await promiseOf(lesson.pod.urn),
                /::initsidecarlab:lessons:FailingInit\$kubernetes:core\/v1:Pod::unit-failing-init$/,
            );
            const pod = findRecorded("kubernetes:core/v1:Pod", "unit-failing-init");
            assert.strictEqual(pod.provider, `${await promiseOf(provider.urn)}::failing-init-tests-id`);
            const metadata = pod.inputs.metadata as { annotations?: Record<string, string>; namespace: string };
            assert.deepStrictEqual(metadata.annotations, { "pulumi.com/skipAwait": "true" });
            assert.strictEqual(metadata.namespace, "lab-dev");
            assert.deepStrictEqual(commands, {
                watch: "kubectl --context kind-lab-dev -n lab-dev get pod unit-failing-init -w",
                describe: "kubectl --context kind-lab-dev -n lab-dev describe pod unit-failing-init",
                logs: {
                    "check-config": "kubectl --context kind-lab-dev -n lab-dev logs unit-failing-init -c check-config",
                    "main-container":
                        "kubectl --context kind-lab-dev -n lab-dev logs unit-failing-init -c main-container",
                },
                fix: "kubectl --context kind-lab-dev -n lab-dev create configmap lesson-failing-init-fix --from-literal=ready=yes",
                undo: "kubectl --context kind-lab-dev -n lab-dev delete configmap lesson-failing-init-fix --ignore-not-found",
            });
        });

        it("throws a ResourceError naming the lesson before registering its Pod", async () => {
            assert.throws(
                () => new FailingInitLesson("failing-bad", { exitCode: 0 }, { provider }),
                (err: Error) =>
                    err instanceof pulumi.ResourceError &&
                    err.message.startsWith('FailingInit "failing-bad": exitCode must be a whole number from 1 to 255'),
            );
            // The mocks record a resource only once its registration settles: wait, or this cannot fail.
            await settle();
            assert.ok(!isRecorded("kubernetes:core/v1:Pod", "failing-bad"));
            assert.ok(!registeredUrns().some((urn) => urn.endsWith("::failing-bad")));
        });
    });
});
