import * as assert from "assert";
import { fakeLessonReader, pod } from "../shared/testPods";
import { podRequestsCheck } from "./read";

describe("lesson pod-requests: what verify reads", () => {
    it("reads both Pods by name and the lesson's quota", async () => {
        const classic = pod("lesson-requests-classic", [], []);
        const native = pod("lesson-requests-native", [], []);
        const quota = { metadata: { name: "lesson-pod-requests" } };
        const reader = fakeLessonReader(undefined, {
            pods: { "lesson-requests-classic": classic, "lesson-requests-native": native },
            quota,
        });
        assert.deepStrictEqual(await podRequestsCheck().read(reader), { classic, native, quota });
        assert.deepStrictEqual(reader.calls, [
            "pod lesson-requests-classic",
            "pod lesson-requests-native",
            "quota lesson-pod-requests",
        ]);
    });
});
