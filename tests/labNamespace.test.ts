import * as assert from "assert";
import * as k8s from "@pulumi/kubernetes";
import { LabNamespace } from "../components";
import { podSecurityLabels, resolveLabNamespace } from "../components/labNamespace";
import { findRecorded, promiseOf } from "./mocks";

describe("LabNamespace", () => {
    it("labels the namespace so Pod Security admission enforces, warns and audits restricted", () => {
        const { labels } = resolveLabNamespace("lab", {});
        for (const mode of ["enforce", "warn", "audit"]) {
            assert.strictEqual(labels[`pod-security.kubernetes.io/${mode}`], "restricted");
            assert.strictEqual(labels[`pod-security.kubernetes.io/${mode}-version`], "latest");
        }
        assert.strictEqual(podSecurityLabels("baseline")["pod-security.kubernetes.io/enforce"], "baseline");
    });

    it("refuses namespaces every cluster owns, since destroy would delete them", () => {
        assert.throws(
            () => resolveLabNamespace("x", { namespaceName: "kube-system" }),
            /not one of default, kube-system/,
        );
        assert.throws(() => resolveLabNamespace("x", { podSecurity: "strict" as never }), /podSecurity must be one of/);
    });

    it("creates the namespace through the given provider and exports its live name", async () => {
        const provider = new k8s.Provider("ns-tests", { kubeconfig: "fake" });
        const ns = new LabNamespace("lab-ns", { namespaceName: "lab-dev" }, { provider });
        assert.strictEqual(await promiseOf(ns.namespaceName), "lab-dev");
        assert.match(
            await promiseOf(ns.namespace.urn),
            /initsidecarlab:pods:LabNamespace\$kubernetes:core\/v1:Namespace::lab-ns$/,
        );
        const recorded = findRecorded("kubernetes:core/v1:Namespace", "lab-ns");
        assert.strictEqual(recorded.provider, `${await promiseOf(provider.urn)}::ns-tests-id`);
    });
});
