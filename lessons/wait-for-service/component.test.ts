import * as assert from "assert";
import * as k8s from "@pulumi/kubernetes";
import { WaitForServiceLesson } from "./component";
import { findRecorded, promiseOf } from "../../tests/mocks";

describe("lesson wait-for-service", () => {
    describe("component (mocked engine)", () => {
        const provider = new k8s.Provider("wait-tests", { kubeconfig: "fake" });

        it("creates the Pod through the provider without awaiting it, and follows the waiting step's log", async () => {
            const lesson = new WaitForServiceLesson("unit-wait", { namespace: "lab-dev" }, { provider });
            const commands = await promiseOf(lesson.commands);
            const pod = findRecorded("kubernetes:core/v1:Pod", "unit-wait");
            assert.strictEqual(pod.provider, `${await promiseOf(provider.urn)}::wait-tests-id`);
            assert.deepStrictEqual((pod.inputs.metadata as { annotations: object }).annotations, {
                "pulumi.com/skipAwait": "true",
            });
            assert.deepStrictEqual(commands.logs, {
                "wait-for-service": "kubectl -n lab-dev logs unit-wait -c wait-for-service -f",
                "main-container": "kubectl -n lab-dev logs unit-wait -c main-container",
            });
            assert.strictEqual(
                commands.createService,
                "kubectl -n lab-dev create service clusterip lesson-backend --tcp=80:80",
            );
        });
    });
});
