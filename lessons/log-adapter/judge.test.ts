import * as assert from "assert";
import { at, pod, running } from "../shared/testPods";
import { judgeLogAdapter } from "./judge";

describe("lesson log-adapter: the judge (pure)", () => {
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
        const verdict = judgeLogAdapter(both, "lesson-log-adapter", log, 2);
        assert.deepStrictEqual([verdict.status, verdict.state], ["pass", "adapting"], verdict.message);
        assert.match(verdict.message, /one every 2 s/);
        assert.match(verdict.message, /Hello Container 4/);
    });

    it("fails on a plain line, a missing time, or the wrong cadence", () => {
        const plain = [line(2, 1), "Hello Container 2", line(6, 3)].join("\n");
        const verdict = judgeLogAdapter(both, "x", plain, 2);
        assert.deepStrictEqual(
            [verdict.state, verdict.message],
            ["wrong-format", "Pod x: an adapter line is not JSON: Hello Container 2"],
        );
        const noTime = [line(2, 1), '{"message":"m"}', line(6, 3)].join("\n");
        assert.match(judgeLogAdapter(both, "x", noTime, 2).message, /no UTC "time"/);
        const slow = [line(0, 1), line(10, 2), line(20, 3)].join("\n");
        const cadence = judgeLogAdapter(both, "x", slow, 2);
        assert.deepStrictEqual([cadence.status, cadence.state], ["fail", "wrong-cadence"]);
        assert.match(cadence.message, /every 10 s \(median\), but the app writes one every 2 s/);
    });

    it("fails as starting with fewer than 3 lines", () => {
        assert.strictEqual(judgeLogAdapter(both, "x", line(2, 1), 2).state, "starting");
    });
});
