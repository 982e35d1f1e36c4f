import { WAIT_FOR_SERVICE_SETTINGS } from "./spec";
import { resolveSettings } from "../../components/settings";
import * as assert from "assert";
import { at, fakeLessonReader, pod, running, terminated } from "../shared/testPods";
import { waitForServiceCheck } from "./read";

describe("lesson wait-for-service: what verify reads", () => {
    it("reads the Pod, whether the Service exists, and the step's last line while it runs", async () => {
        const waiting = pod("lesson-wait-for-service", [running("wait-for-service", at(1))], []);
        const reader = fakeLessonReader(waiting, { log: "Waiting for Service lesson-backend ...\n" });
        const input = await waitForServiceCheck(Date.now, resolveSettings(WAIT_FOR_SERVICE_SETTINGS, {})).read(reader);
        assert.deepStrictEqual(input, {
            pod: waiting,
            serviceExists: false,
            stepLog: "Waiting for Service lesson-backend ...\n",
        });
        assert.deepStrictEqual(reader.calls, [
            "pod lesson-wait-for-service",
            "service lesson-backend",
            "log lesson-wait-for-service/wait-for-service 1",
        ]);
    });

    it("reads no log once the step has completed", async () => {
        const started = pod(
            "lesson-wait-for-service",
            [terminated("wait-for-service", 0, at(1), at(5))],
            [running("main-container", at(6))],
        );
        const reader = fakeLessonReader(started, { serviceExists: true });
        const input = await waitForServiceCheck(Date.now, resolveSettings(WAIT_FOR_SERVICE_SETTINGS, {})).read(reader);
        assert.deepStrictEqual([input.serviceExists, input.stepLog], [true, undefined]);
        assert.ok(!reader.calls.some((c) => c.startsWith("log ")), reader.calls.join("; "));
        assert.strictEqual(
            waitForServiceCheck(Date.now, resolveSettings(WAIT_FOR_SERVICE_SETTINGS, {})).judge(input, 0).state,
            "started",
        );
    });
});
