import * as assert from "assert";
import { BAR_COLUMN, GLYPHS, WIDTH, ansi, paintFor, renderFrame } from "../../timeline/frame";
import { podTimeline } from "../../timeline/model";
import {
    classicJobRunningOn,
    failingInit,
    failingInitEvents,
    initTest,
    nativeJobDone,
    nativeSidecarTest,
    seconds,
} from "./pods";

describe("timeline/frame: what the terminal shows", () => {
    const now = seconds(30);
    const pods = () => [
        podTimeline(initTest(12), [], now),
        podTimeline(nativeSidecarTest(), [], now),
        podTimeline(failingInit(), failingInitEvents(), now),
        podTimeline(nativeJobDone(), [], now),
        podTimeline(classicJobRunningOn(), [], now),
    ];
    const frame = (paint = ansi) => renderFrame(pods(), now, { title: "stack dev, namespace lab-dev", paint });
    /** The row of a container in a Pod's block (plain text). */
    const row = (text: string, pod: string, container: string): string => {
        const block = text.slice(text.indexOf(`\n${pod} `));
        const line = block.split("\n").find((l) => l.startsWith(`  ${container} `));
        assert.ok(line, `no row for ${container} under ${pod}:\n${block}`);
        return line;
    };
    /** First and last column of a row's bar cells (runs only). */
    const extent = (line: string) => {
        const bar = line.slice(BAR_COLUMN);
        const runs = [...bar]
            .map((ch, i) => (ch === GLYPHS.run || ch === GLYPHS.failed ? i : -1))
            .filter((i) => i >= 0);
        return { first: Math.min(...runs), last: Math.max(...runs) };
    };

    it("fits 80 columns, every line", () => {
        for (const line of frame((_c, t) => t).split("\n")) {
            assert.ok([...line].length <= WIDTH, `${[...line].length} columns: ${JSON.stringify(line)}`);
        }
    });

    it("draws the init bar ending before the app's begins", () => {
        const text = frame((_c, t) => t);
        const init = extent(row(text, "init-test", "init-container"));
        const app = extent(row(text, "init-test", "main-container"));
        assert.ok(init.last < app.first, `init ${JSON.stringify(init)}, app ${JSON.stringify(app)}`);
        assert.match(text, /→ main-container started 1 s after init-container finished\./);
    });

    it("draws a native sidecar's bar beginning before the app's and ending after it", () => {
        const text = frame((_c, t) => t);
        const sidecar = extent(row(text, "lesson-native-sidecar-abcde", "sidecar"));
        const app = extent(row(text, "lesson-native-sidecar-abcde", "app"));
        assert.ok(
            sidecar.first < app.first && sidecar.last > app.last,
            `sidecar ${JSON.stringify(sidecar)}, app ${JSON.stringify(app)}`,
        );
    });

    it("shows the kubectl line, each failed run, its restarts and back-off", () => {
        const text = frame((_c, t) => t);
        assert.match(text, /\n {2}sidecar-test {3}2\/2 {5}Running {3}0 {10}30s\n/);
        const step = row(text, "lesson-failing-init", "fail-step");
        assert.ok(step.includes(GLYPHS.failed) && step.includes(GLYPHS.backOff) && step.includes(GLYPHS.restart), step);
        assert.match(step, /↻2 exit 1$/);
        assert.match(row(text, "lesson-failing-init", "main-container"), /waits$/);
    });

    it("puts the containers in start order: the native sidecar first", () => {
        const text = frame((_c, t) => t);
        const block = text.slice(text.indexOf("\nsidecar-test "));
        assert.ok(block.indexOf("  sidecar-container ") < block.indexOf("  main-container "));
    });

    it("writes no escape code without colour, and colours with it", () => {
        assert.ok(!frame((_c, t) => t).includes("\x1b"), "no escape code");
        assert.ok(frame().includes("\x1b[33m█"), "the init bar in yellow");
    });

    it("colours only a terminal without NO_COLOR", () => {
        const sample = (isTTY: boolean, env: NodeJS.ProcessEnv) => paintFor(isTTY, env)(31, "x");
        assert.strictEqual(sample(true, {}), "\x1b[31mx\x1b[0m");
        assert.strictEqual(sample(true, { NO_COLOR: "1" }), "x");
        assert.strictEqual(sample(false, {}), "x");
        assert.strictEqual(sample(true, { TERM: "dumb" }), "x");
    });

    it("says so when there is no Pod yet", () => {
        assert.match(renderFrame([], now, { title: "t" }), /No lab Pods yet\./);
    });
});
