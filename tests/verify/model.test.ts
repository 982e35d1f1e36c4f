import * as assert from "assert";
import { clock, describeState, logLines, samplesFromTimestamped, seconds } from "../../verify/model";

// The lab's checks, every lesson's judge and the timeline word states, times and durations through
// these, so one container reads the same in every message.
describe("verify: the words messages share", () => {
    it("describeState: the exit code always, the reason when it says more than Error or Completed", () => {
        assert.strictEqual(describeState(undefined), "not started");
        assert.strictEqual(describeState({}), "not started");
        assert.strictEqual(describeState({ running: { startedAt: new Date(0) } }), "running");
        assert.strictEqual(describeState({ waiting: { reason: "ImagePullBackOff" } }), "waiting (ImagePullBackOff)");
        assert.strictEqual(describeState({ waiting: {} }), "waiting (no reason given)");
        assert.strictEqual(describeState({ terminated: { exitCode: 1, reason: "Error" } }), "terminated (exit 1)");
        assert.strictEqual(describeState({ terminated: { exitCode: 0, reason: "Completed" } }), "terminated (exit 0)");
        assert.strictEqual(
            describeState({ terminated: { exitCode: 137, reason: "OOMKilled" } }),
            "terminated (exit 137, OOMKilled)",
        );
        assert.strictEqual(describeState({ terminated: { exitCode: 2 } }), "terminated (exit 2)");
    });

    it("clock: HH:MM:SS in UTC of milliseconds, a Date or an API string; a missing time says so", () => {
        const at = Date.UTC(2024, 0, 2, 13, 4, 5);
        assert.strictEqual(clock(at), "13:04:05");
        assert.strictEqual(clock(new Date(at)), "13:04:05");
        assert.strictEqual(clock("2024-01-02T13:04:05Z"), "13:04:05");
        assert.strictEqual(clock(0), "00:00:00");
        assert.strictEqual(clock(undefined), "an unknown time");
        assert.strictEqual(clock(null), "an unknown time");
        assert.strictEqual(clock("not a time"), "an unknown time");
    });

    it("seconds: a duration to a tenth, its size only (the sentence says before or after)", () => {
        assert.strictEqual(seconds(12_000), "12 s");
        assert.strictEqual(seconds(1_540), "1.5 s");
        assert.strictEqual(seconds(-3_000), "3 s");
        assert.strictEqual(seconds(0), "0 s");
    });

    it("samplesFromTimestamped: one timestamped read as two samples, the first as a read lookBack earlier saw it", () => {
        const at = Date.parse("2026-12-07T03:00:30Z");
        const text =
            "2026-12-07T03:00:05.123456789Z Hello Container\n" +
            "2026-12-07T03:00:15.000000000Z Hello Container\n" +
            "2026-12-07T03:00:20.5Z Hello Container\n" +
            "2026-12-07T03:00:25Z with  two spaces\n";
        const { first, latest } = samplesFromTimestamped(text, at, 10_000);
        assert.deepStrictEqual(latest, {
            text: "Hello Container\nHello Container\nHello Container\nwith  two spaces\n",
            at,
        });
        assert.deepStrictEqual(first, { text: "Hello Container\nHello Container\n", at: at - 10_000 });
        // Nothing new in the last 20 s: the two samples hold the same lines.
        const old = samplesFromTimestamped("2026-12-07T03:00:05Z a\n2026-12-07T03:00:09Z b\n", at, 20_000);
        assert.deepStrictEqual(logLines(old.first.text), logLines(old.latest.text));
        assert.deepStrictEqual(samplesFromTimestamped("", at, 10_000).latest.text, "");
    });
});
