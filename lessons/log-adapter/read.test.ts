import { LOG_ADAPTER_SETTINGS } from "./spec";
import { resolveSettings } from "../../components/settings";
import * as assert from "assert";
import { at, fakeLessonReader, pod, running, waiting } from "../shared/testPods";
import { logAdapterCheck } from "./read";

describe("lesson log-adapter: what verify reads", () => {
    it("reads the adapter's last 6 lines once both containers run", async () => {
        const both = pod("lesson-log-adapter", [], [running("main-container", at(0)), running("log-adapter", at(0))]);
        const reader = fakeLessonReader(both, { log: '{"time":"2026-11-30T10:00:02Z"}\n' });
        const input = await logAdapterCheck(Date.now, resolveSettings(LOG_ADAPTER_SETTINGS, {})).read(reader);
        assert.strictEqual(input.sidecarLog, '{"time":"2026-11-30T10:00:02Z"}\n');
        assert.deepStrictEqual(reader.calls, ["pod lesson-log-adapter", "log lesson-log-adapter/log-adapter 6"]);
    });

    it("reads no log while a container is not running yet", async () => {
        const starting = pod(
            "lesson-log-adapter",
            [],
            [running("main-container", at(0)), waiting("log-adapter", "ContainerCreating")],
        );
        const reader = fakeLessonReader(starting);
        const input = await logAdapterCheck(Date.now, resolveSettings(LOG_ADAPTER_SETTINGS, {})).read(reader);
        assert.strictEqual(input.sidecarLog, undefined);
        assert.deepStrictEqual(reader.calls, ["pod lesson-log-adapter"]);
        assert.strictEqual(
            logAdapterCheck(Date.now, resolveSettings(LOG_ADAPTER_SETTINGS, {})).judge(input, 0).state,
            "starting",
        );
    });
});
