import * as assert from "assert";
import { at, pod, running } from "../shared/testPods";
import { judgeMetricsExporter, parseCounter } from "./judge";

describe("lesson metrics-exporter: the judge (pure)", () => {
    const exporter = pod(
        "lesson-metrics-exporter",
        [],
        [running("main-container", at(0)), running("metrics-exporter", at(0), { ready: true })],
        "Running",
    );
    const scrape = (n: number) => ({
        ok: true as const,
        body: `# HELP app_log_lines_total Lines the app wrote to its log.\n# TYPE app_log_lines_total counter\napp_log_lines_total ${n}\n`,
    });

    it("reads a counter in Prometheus text format", () => {
        assert.strictEqual(parseCounter(scrape(12).body, "app_log_lines_total"), 12);
        assert.strictEqual(parseCounter('# TYPE c counter\nc{pod="x"} 3.5\n', "c"), 3.5);
        assert.match(String(parseCounter("app_log_lines_total 3\n", "app_log_lines_total")), /no "# TYPE/);
        assert.match(String(parseCounter("# TYPE c counter\nc NaN\n", "c")), /no numeric c sample/);
    });

    it("passes as counting when the second scrape reads more", () => {
        const verdict = judgeMetricsExporter(exporter, "lesson-metrics-exporter", [scrape(10), scrape(12)], 3);
        assert.deepStrictEqual([verdict.status, verdict.state], ["pass", "counting"]);
        assert.match(verdict.message, /two scrapes 3 s apart read 10, then 12/);
    });

    it("fails when the counter stands still, the format is wrong, or the scrape fails", () => {
        assert.strictEqual(judgeMetricsExporter(exporter, "x", [scrape(10), scrape(10)], 3).state, "not-counting");
        assert.strictEqual(
            judgeMetricsExporter(exporter, "x", [scrape(1), { ok: true, body: "lines 2" }], 3).state,
            "wrong-format",
        );
        assert.strictEqual(
            judgeMetricsExporter(exporter, "x", [{ ok: false, error: "HTTP 503" }, scrape(1)], 3).state,
            "unreachable",
        );
        const once = judgeMetricsExporter(exporter, "x", undefined, 3);
        assert.deepStrictEqual([once.status, once.state], ["fail", "starting"]);
        assert.match(once.message, /the exporter is Ready; verify scrapes it again a few seconds later/);
    });
});
