import * as assert from "assert";
import * as k8s from "@pulumi/kubernetes";
import { MetricsExporterLesson } from "./component";
import { findRecorded, promiseOf } from "../../tests/mocks";

describe("lesson metrics-exporter", () => {
    describe("component (mocked engine)", () => {
        const provider = new k8s.Provider("metrics-tests", { kubeconfig: "fake" });

        it("creates the Pod through the provider, with its scrape commands", async () => {
            const lesson = new MetricsExporterLesson("unit-metrics", { namespace: "lab-dev" }, { provider });
            const commands = await promiseOf(lesson.commands);
            assert.strictEqual(
                findRecorded("kubernetes:core/v1:Pod", "unit-metrics").provider,
                `${await promiseOf(provider.urn)}::metrics-tests-id`,
            );
            assert.match(String(commands.scrape), /pods\/unit-metrics:9102\/proxy\/cgi-bin\/metrics$/);
        });
    });
});
