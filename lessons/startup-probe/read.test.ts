import * as assert from "assert";
import { resolveSettings } from "../../components/settings";
import { at, fakeLessonReader, pod, running } from "../shared/testPods";
import { startupProbeCheck } from "./read";
import { STARTUP_PROBE_SETTINGS } from "./spec";

describe("lesson startup-probe: what verify reads", () => {
    it("reads both Pods by name, and waits a warm-up longer than a plain Pod lesson", async () => {
        const startup = pod("lesson-startup-probe", [running("sidecar", at(1))], []);
        const readiness = pod("lesson-readiness-probe", [running("sidecar", at(1))], []);
        const reader = fakeLessonReader(undefined, {
            pods: { "lesson-startup-probe": startup, "lesson-readiness-probe": readiness },
        });
        const check = startupProbeCheck(Date.now, resolveSettings(STARTUP_PROBE_SETTINGS, { warmUpSeconds: 20 }));
        assert.deepStrictEqual(await check.read(reader), { startup, readiness });
        assert.deepStrictEqual(reader.calls, ["pod lesson-startup-probe", "pod lesson-readiness-probe"]);
        assert.strictEqual(check.timeoutSeconds, 140);
        assert.deepStrictEqual(check.pods, ["lesson-startup-probe", "lesson-readiness-probe"]);
    });
});
