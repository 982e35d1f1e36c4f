import * as assert from "assert";
import { resolveNativeSidecarSettings } from "./spec";
import { nativeSidecarCommands } from "./commands";

describe("lesson native-sidecar", () => {
    describe("commands", () => {
        const settings = resolveNativeSidecarSettings({});

        it("exports watch, jobs, and per-Job describe, logs and start-time commands", () => {
            const c = nativeSidecarCommands({ namespace: "lab-dev" }, settings);
            assert.strictEqual(
                c.watch,
                "kubectl -n lab-dev get pods -l app.kubernetes.io/component=lesson-native-sidecar -w",
            );
            assert.strictEqual(
                c.jobs,
                "kubectl -n lab-dev get jobs -l app.kubernetes.io/component=lesson-native-sidecar",
            );
            assert.deepStrictEqual(c.logsNative, {
                app: "kubectl -n lab-dev logs job/lesson-native-sidecar -c app",
                sidecar: "kubectl -n lab-dev logs job/lesson-native-sidecar -c sidecar",
            });
            assert.match(
                String(c.startedAtClassic),
                /^kubectl -n lab-dev get pods -l job-name=lesson-classic-sidecar -o 'custom-columns=/,
            );
        });
    });
});
