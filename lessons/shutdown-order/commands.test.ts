import * as assert from "assert";
import { shutdownOrderCommands } from "./commands";

describe("lesson shutdown-order", () => {
    describe("commands", () => {
        const c = shutdownOrderCommands({ namespace: "lab-dev", context: "kind-lab-dev" });
        const k = "kubectl --context kind-lab-dev -n lab-dev";
        const selector = "app.kubernetes.io/component=lesson-shutdown-order";

        it("stop sets the running Pod's activeDeadlineSeconds, found by label", () => {
            assert.strictEqual(
                c.stop,
                `${k} patch $(${k} get pods -l ${selector} --field-selector=status.phase=Running -o name) ` +
                    `--type=merge -p '{"spec":{"activeDeadlineSeconds":1}}'`,
            );
        });

        it("sigterms shows each container's record, in the order the kubelet sends SIGTERM; watch and describe by label", () => {
            assert.strictEqual(
                c.sigterms,
                `${k} get pods -l ${selector} -o 'custom-columns=POD:.metadata.name,PHASE:.status.phase,` +
                    'APP:.status.containerStatuses[?(@.name=="app")].state.terminated.message,' +
                    'CLASSIC_SIDECAR:.status.containerStatuses[?(@.name=="classic-sidecar")].state.terminated.message,' +
                    'SIDECAR_2:.status.initContainerStatuses[?(@.name=="sidecar-2")].state.terminated.message,' +
                    `SIDECAR_1:.status.initContainerStatuses[?(@.name=="sidecar-1")].state.terminated.message'`,
            );
            assert.strictEqual(c.watch, `${k} get pods -l ${selector} -w`);
            assert.strictEqual(c.describe, `${k} describe pods -l ${selector}`);
        });
    });
});
