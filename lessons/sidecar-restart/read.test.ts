import * as assert from "assert";
import { resolveSettings } from "../../components/settings";
import { fakeLessonReader, pod } from "../shared/testPods";
import { sidecarRestartCheck } from "./read";
import { SIDECAR_RESTART_SETTINGS } from "./spec";

describe("lesson sidecar-restart: what verify reads", () => {
    it("reads the Pod, and waits longer for longer-lived sidecars", async () => {
        const p = pod("lesson-sidecar-restart", [], []);
        const reader = fakeLessonReader(p);
        const check = sidecarRestartCheck(
            Date.now,
            resolveSettings(SIDECAR_RESTART_SETTINGS, { exitAfterSeconds: 30 }),
        );
        assert.strictEqual(await check.read(reader), p);
        assert.deepStrictEqual(reader.calls, ["pod lesson-sidecar-restart"]);
        assert.strictEqual(check.timeoutSeconds, 200);
    });
});
