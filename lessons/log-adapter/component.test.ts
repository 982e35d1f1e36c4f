import * as assert from "assert";
import * as k8s from "@pulumi/kubernetes";
import { LogAdapterLesson } from "./component";
import { findRecorded, promiseOf } from "../../tests/mocks";

describe("lesson log-adapter", () => {
    describe("component (mocked engine)", () => {
        const provider = new k8s.Provider("adapter-tests", { kubeconfig: "fake" });

        it("creates the Pod through the provider and follows the adapter's log", async () => {
            const lesson = new LogAdapterLesson("unit-adapter", { namespace: "lab-dev" }, { provider });
            const commands = await promiseOf(lesson.commands);
            assert.strictEqual(
                findRecorded("kubernetes:core/v1:Pod", "unit-adapter").provider,
                `${await promiseOf(provider.urn)}::adapter-tests-id`,
            );
            assert.deepStrictEqual(commands.logs, {
                "main-container": "kubectl -n lab-dev logs unit-adapter -c main-container",
                "log-adapter": "kubectl -n lab-dev logs unit-adapter -c log-adapter -f",
            });
        });
    });
});
