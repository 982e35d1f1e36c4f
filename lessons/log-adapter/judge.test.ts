import * as assert from "assert";
import { at, pod, running } from "../shared/testPods";
import { judgeLogAdapter } from "./judge";

describe("lesson log-adapter: the judge (pure)", () => {
    /** What a stack deployed with the lesson's defaults. */
    const deployed = { message: "Hello Container", intervalSeconds: 2 };
    const both = pod(
        "lesson-log-adapter",
        [],
        [running("main-container", at(0)), running("log-adapter", at(0))],
        "Running",
    );
    const line = (second: number, n: number) =>
        `{"time":"2026-11-30T10:00:${String(second).padStart(2, "0")}Z","source":"main-container","message":"Hello Container ${n}"}`;

    it("passes as adapting: JSON lines with a UTC time, about one per interval", () => {
        const log = [line(2, 1), line(4, 2), line(7, 3), line(8, 4)].join("\n") + "\n";
        const verdict = judgeLogAdapter(both, "lesson-log-adapter", log, deployed);
        assert.deepStrictEqual([verdict.status, verdict.state], ["pass", "adapting"], verdict.message);
        assert.match(verdict.message, /one every 2 s/);
        assert.match(verdict.message, /the app's lines \("Hello Container <n>"\)/);
        assert.match(verdict.message, /Hello Container 4/);
    });

    it("follows the deployed message and interval: other lines fail, the deployed ones pass", () => {
        const log = [line(2, 1), line(7, 2), line(12, 3)].join("\n");
        const other = judgeLogAdapter(both, "x", log, { message: "Bonjour", intervalSeconds: 5 });
        assert.deepStrictEqual([other.status, other.state], ["fail", "wrong-format"]);
        assert.strictEqual(
            other.message,
            'Pod x: an adapter line carries "Hello Container 1", not the app\'s deployed message "Bonjour" and a counter.',
        );
        const asDeployed = judgeLogAdapter(both, "x", log, { message: "Hello Container", intervalSeconds: 5 });
        assert.deepStrictEqual([asDeployed.status, asDeployed.state], ["pass", "adapting"]);
        // The deployed message is the whole text before the counter, not a part of it.
        assert.strictEqual(
            judgeLogAdapter(both, "x", log, { message: "Hello", intervalSeconds: 5 }).state,
            "wrong-format",
        );
    });

    it("fails on a plain line, a missing time, or the wrong cadence", () => {
        const plain = [line(2, 1), "Hello Container 2", line(6, 3)].join("\n");
        const verdict = judgeLogAdapter(both, "x", plain, deployed);
        assert.deepStrictEqual(
            [verdict.state, verdict.message],
            ["wrong-format", "Pod x: an adapter line is not JSON: Hello Container 2"],
        );
        const noTime = [line(2, 1), '{"message":"m"}', line(6, 3)].join("\n");
        assert.match(judgeLogAdapter(both, "x", noTime, deployed).message, /no UTC "time"/);
        const slow = [line(0, 1), line(10, 2), line(20, 3)].join("\n");
        const cadence = judgeLogAdapter(both, "x", slow, deployed);
        assert.deepStrictEqual([cadence.status, cadence.state], ["fail", "wrong-cadence"]);
        assert.match(cadence.message, /every 10 s \(median\), but the app writes one every 2 s/);
    });

    it("fails as starting with fewer than 3 lines", () => {
        assert.strictEqual(judgeLogAdapter(both, "x", line(2, 1), deployed).state, "starting");
    });
});
