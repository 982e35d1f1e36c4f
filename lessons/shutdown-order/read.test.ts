import * as assert from "assert";
import { resolveSettings } from "../../components/settings";
import { fakeLessonReader, pod } from "../shared/testPods";
import { shutdownOrderCheck } from "./read";
import { SHUTDOWN_ORDER_SETTINGS } from "./spec";

describe("lesson shutdown-order: what verify reads", () => {
    it("reads the ReplicaSet's Pods by label, stopped ones included, and names them in its hint", async () => {
        const pods = [pod("lesson-shutdown-order-abcde", [], []), pod("lesson-shutdown-order-fghij", [], [])];
        const reader = fakeLessonReader(undefined, { labelled: pods });
        const check = shutdownOrderCheck(Date.now, resolveSettings(SHUTDOWN_ORDER_SETTINGS, {}));
        assert.strictEqual(await check.read(reader), pods);
        assert.deepStrictEqual(reader.calls, ["pods app.kubernetes.io/component=lesson-shutdown-order"]);
        assert.deepStrictEqual(check.expected, ["ready", "shown"]);
        assert.strictEqual(
            check.hint?.("lab-dev"),
            "Look at the lesson's Pods, stopped ones included: kubectl describe pods -l app.kubernetes.io/component=lesson-shutdown-order -n lab-dev",
        );
    });
});
