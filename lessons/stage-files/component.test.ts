import * as assert from "assert";
import * as k8s from "@pulumi/kubernetes";
import { StageFilesLesson } from "./component";
import { findRecorded, promiseOf } from "../../tests/mocks";

describe("lesson stage-files", () => {
    describe("component (mocked engine)", () => {
        const provider = new k8s.Provider("stage-tests", { kubeconfig: "fake" });

        it("creates the Pod through the provider and waits for it to be Ready by default", async () => {
            const lesson = new StageFilesLesson("unit-stage", { namespace: "lab-dev" }, { provider });
            const commands = await promiseOf(lesson.commands);
            const pod = findRecorded("kubernetes:core/v1:Pod", "unit-stage");
            assert.strictEqual(pod.provider, `${await promiseOf(provider.urn)}::stage-tests-id`);
            assert.strictEqual((pod.inputs.metadata as { annotations?: object }).annotations, undefined);
            assert.strictEqual(
                commands.readPage,
                "kubectl -n lab-dev exec unit-stage -c web -- wget -qO- http://localhost:8080/",
            );
        });
    });
});
