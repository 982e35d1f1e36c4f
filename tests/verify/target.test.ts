import * as assert from "assert";
import { TargetError, deployedFrom, targetFromNamespace, targetFromOutputs } from "../../verify/target";

const out = (value: unknown) => ({ value });

describe("verify: the lab's target from a stack's outputs", () => {
    it("reads the lessons the stack deployed: the keys of its lessons output", () => {
        const target = targetFromOutputs("dev", {
            namespace: out("lab-dev"),
            kubeContext: out("kind-lab-dev"),
            lessons: out({ "native-sidecar": { jobs: "kubectl ..." }, "failing-init": { fix: "kubectl ..." } }),
        });
        assert.deepStrictEqual(target.lessons, ["native-sidecar", "failing-init"]);
        assert.deepStrictEqual(
            [target.namespace, target.initPod, target.sidecarPod, target.context],
            ["lab-dev", "init-test", "sidecar-test", "kind-lab-dev"],
        );
    });

    it("no lessons output (none selected): no lessons", () => {
        assert.deepStrictEqual(targetFromOutputs("dev", { namespace: out("lab-dev") }).lessons, []);
        assert.deepStrictEqual(targetFromOutputs("dev", { namespace: out("lab-dev"), lessons: out(null) }).lessons, []);
    });

    it("a stack without a namespace output is not deployed yet; --namespace knows no lessons", () => {
        assert.throws(() => targetFromOutputs("dev", { lessons: out({ "failing-init": {} }) }), TargetError);
        assert.strictEqual(targetFromNamespace("lab-dev").lessons, undefined);
    });

    it("takes what was deployed from the deployed output; without one (an older stack) expects the defaults and says so", () => {
        const deployed = {
            version: 1,
            initPod: { initDelaySeconds: 25 },
            sidecarPod: { intervalSeconds: 12 },
            lessons: { "native-sidecar": { lines: 4 } },
        };
        const target = targetFromOutputs("dev", { namespace: out("lab-dev"), deployed: out(deployed) });
        assert.deepStrictEqual(target.deployed, deployed);
        assert.strictEqual(target.notice, undefined);
        const old = targetFromOutputs("dev", { namespace: out("lab-dev") });
        assert.strictEqual(old.deployed, undefined);
        assert.match(old.notice ?? "", /stack dev does not say what it deployed .* verify expects the defaults/);
        // A shape this verify does not read counts as none.
        assert.strictEqual(deployedFrom({ ...deployed, version: 2 }), undefined);
        assert.strictEqual(deployedFrom({ version: 1, initPod: {} }), undefined);
    });
});
