import * as assert from "assert";
import { podRequestsCommands } from "./commands";

describe("lesson pod-requests", () => {
    describe("commands", () => {
        it("describeNode shows the scheduler's view of the node the native Pod runs on; quota what the API server counted", () => {
            const c = podRequestsCommands({ namespace: "lab-dev", context: "kind-lab-dev" });
            const k = "kubectl --context kind-lab-dev -n lab-dev";
            assert.strictEqual(
                c.describeNode,
                `${k} describe node "$(${k} get pod lesson-requests-native -o 'jsonpath={.spec.nodeName}')"`,
            );
            assert.strictEqual(c.quota, `${k} describe resourcequota lesson-pod-requests`);
            assert.match(
                String(c.requests),
                /^kubectl .* get pods -l app.kubernetes.io\/component=lesson-pod-requests -o 'custom-columns=POD:/,
            );
            assert.strictEqual(c.watch, `${k} get pods -l app.kubernetes.io/component=lesson-pod-requests -w`);
        });
    });
});
