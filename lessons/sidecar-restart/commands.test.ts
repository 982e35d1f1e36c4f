import * as assert from "assert";
import { sidecarRestartAnnouncement, sidecarRestartCommands } from "./commands";

describe("lesson sidecar-restart", () => {
    describe("commands", () => {
        it("restarts: each container's restart count and state, picked by name", () => {
            const { restarts } = sidecarRestartCommands({ namespace: "lab-dev" }, "lesson-sidecar-restart");
            assert.strictEqual(
                restarts,
                "kubectl -n lab-dev get pod lesson-sidecar-restart -o 'custom-columns=POD:.metadata.name," +
                    'NATIVE_RESTARTS:.status.initContainerStatuses[?(@.name=="native-sidecar")].restartCount,' +
                    'CLASSIC_RESTARTS:.status.containerStatuses[?(@.name=="classic-sidecar")].restartCount,' +
                    'CLASSIC_EXIT:.status.containerStatuses[?(@.name=="classic-sidecar")].state.terminated.exitCode,' +
                    'APP_RESTARTS:.status.containerStatuses[?(@.name=="app")].restartCount,' +
                    `APP_STARTED:.status.containerStatuses[?(@.name=="app")].state.running.startedAt'`,
            );
        });

        it("up announces what to watch and what to run", () => {
            const said = sidecarRestartAnnouncement({ watch: "W", restarts: "R" });
            assert.match(said, /the kubelet restarts the native one .*Watch it: W {2}Who restarted: R$/);
        });
    });
});
