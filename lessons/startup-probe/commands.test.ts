import * as assert from "assert";
import { startupProbeCommands } from "./commands";

describe("lesson startup-probe", () => {
    describe("commands", () => {
        it("exports watch, the API server's timestamps of both Pods, and describe and logs for each", () => {
            const c = startupProbeCommands({ namespace: "lab-dev", context: "kind-lab-dev" });
            const k = "kubectl --context kind-lab-dev -n lab-dev";
            assert.strictEqual(c.watch, `${k} get pods -l app.kubernetes.io/component=lesson-startup-probe -w`);
            assert.strictEqual(
                c.startTimes,
                `${k} get pods -l app.kubernetes.io/component=lesson-startup-probe -o 'custom-columns=` +
                    "POD:.metadata.name,SIDECAR_STARTED:.status.initContainerStatuses[0].state.running.startedAt," +
                    'INITIALIZED:.status.conditions[?(@.type=="Initialized")].lastTransitionTime,' +
                    "APP_STARTED:.status.containerStatuses[0].state.running.startedAt," +
                    `READY:.status.conditions[?(@.type=="Ready")].lastTransitionTime'`,
            );
            assert.strictEqual(c.describeStartup, `${k} describe pod lesson-startup-probe`);
            assert.strictEqual(c.describeReadiness, `${k} describe pod lesson-readiness-probe`);
            assert.deepStrictEqual(c.logsReadiness, {
                sidecar: `${k} logs lesson-readiness-probe -c sidecar`,
                app: `${k} logs lesson-readiness-probe -c app`,
            });
        });
    });
});
