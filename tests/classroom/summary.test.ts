import * as assert from "assert";
import { StudentResult } from "../../classroom/runner";
import { commandLines, countLine, exitCode, renderLogs, renderSummary, renderTable } from "../../classroom/summary";
import { labOutputs, logCommand } from "./fakeStacks";

const results: StudentResult[] = [
    {
        student: "alice",
        op: "up",
        status: "created",
        durationMs: 65_000,
        detail: "+6",
        logCommand: logCommand("alice"),
    },
    { student: "bob", op: "up", status: "failed", durationMs: 12_000, detail: "", error: "kind cannot reach Docker" },
    { student: "carol", op: "up", status: "unchanged", durationMs: 4_000, detail: "no changes" },
    { student: "zoe", op: "skip", status: "skipped", detail: "not in roster (kept; pass --prune to destroy)" },
];

describe("classroom summary", () => {
    it("renders one aligned row per student: student, stack, status, changes, duration, log command", () => {
        const lines = renderTable("up", results, (s) => `period3-${s}`).split("\n");
        assert.deepStrictEqual(lines[0].split(/\s{2,}/), [
            "STUDENT",
            "STACK",
            "STATUS",
            "CHANGES",
            "DURATION",
            "LOG COMMAND (logCommands.sidecar)",
        ]);
        assert.deepStrictEqual(lines[1].split(/\s{2,}/), [
            "alice",
            "period3-alice",
            "created",
            "+6",
            "1m05s",
            logCommand("alice"),
        ]);
        assert.deepStrictEqual(lines[2].split(/\s{2,}/), ["bob", "period3-bob", "failed", "-", "12s", "-"]);
        assert.deepStrictEqual(lines[4].split(/\s{2,}/), [
            "zoe",
            "period3-zoe",
            "skipped",
            "-",
            "-",
            "not in roster (kept; pass --prune to destroy)",
        ]);
        // Columns line up: every row's status starts where the header's does.
        const at = lines[0].indexOf("STATUS");
        for (const line of lines.slice(1)) assert.match(line.slice(at), /^(created|failed|unchanged|skipped) /);
    });

    it("lists who failed and why, after the counts", () => {
        const text = renderSummary({ command: "up", results, ignored: ["dev"] });
        assert.match(text, /^4 student stacks: 1 created, 1 unchanged, 1 skipped, 1 failed\.$/m);
        assert.match(text, /^1 of 4 failed:\n {2}- bob \(up\): kind cannot reach Docker$/m);
        assert.match(text, /not this class's \(left alone\): dev\./);
        assert.ok(!text.includes("run the same command"), "no rerun line unless the command line is given");
    });

    it("after Ctrl-C: who was not started, that the others are as they were left, and the command that finishes", () => {
        const interrupted: StudentResult[] = [
            results[0],
            { student: "dan", op: "up", status: "failed", detail: "", error: "not started: interrupted" },
            { student: "eve", op: "up", status: "failed", detail: "", error: "not started: interrupted" },
        ];
        const text = renderSummary({
            command: "up",
            results: interrupted,
            stackOf: (s) => `class-${s}`,
            rerun: "npm run classroom -- up --count 5",
            interrupted: true,
        });
        assert.match(text, /^alice +class-alice +created /m);
        assert.ok(!/failed:/.test(text), "not started is not a failure of the student's stack");
        assert.match(
            text,
            /^Interrupted: 2 of 3 not started \(dan, eve\); every other student's stack is as its own operation left it\.$/m,
        );
        assert.match(text, /^To finish the rest, run the same command again:\n {2}npm run classroom -- up --count 5$/m);
    });

    it("a failed student's rerun line: the same command converges the class", () => {
        const text = renderSummary({ command: "up", results, rerun: "npm run classroom -- up --count 4" });
        assert.match(text, /^1 of 4 failed:$/m);
        assert.match(text, /run the same command again:\n {2}npm run classroom -- up --count 4\n$/);
        assert.ok(!text.includes("Interrupted"));
    });

    it("names the command for a refused student", () => {
        const refused: StudentResult = { student: "ann", op: "refuse", status: "failed", detail: "", error: "exists" };
        assert.match(renderSummary({ command: "destroy", results: [refused] }), /- ann \(destroy\): exists/);
    });

    it("has no failure list when nothing failed, and says so when there is nothing to do", () => {
        const ok = results.filter((r) => r.status !== "failed");
        assert.doesNotMatch(renderSummary({ command: "up", results: ok }), /failed/);
        assert.strictEqual(exitCode(ok), 0);
        assert.strictEqual(exitCode(results), 1);
        assert.match(renderSummary({ command: "status", results: [] }), /nothing to do/);
    });

    it("status shows the last update instead of changes; no STACK column where stacks are named after students", () => {
        const [header] = renderTable("status", [
            { student: "a", op: "status", status: "ok", detail: "update succeeded" },
        ]).split("\n");
        assert.deepStrictEqual(header.split(/\s{2,}/), [
            "STUDENT",
            "STATUS",
            "LAST UPDATE",
            "LOG COMMAND (logCommands.sidecar)",
        ]);
    });

    it("counts statuses in a fixed order", () => {
        assert.strictEqual(countLine([...results].reverse()), "1 created, 1 unchanged, 1 skipped, 1 failed");
    });

    it("logs prints every exported command and never a secret", () => {
        const lines = commandLines(labOutputs("alice"));
        assert.deepStrictEqual(
            lines.map((l) => l.split(/\s{2,}/)[0]),
            ["logCommands.init", "logCommands.sidecar", "watchCommands.all"],
        );
        const text = renderLogs([
            { student: "alice", op: "logs", status: "ok", detail: "", outputs: labOutputs("alice") },
            { student: "bob", op: "logs", status: "failed", detail: "", error: "no stack" },
        ]);
        assert.match(text, /^== alice \(stack alice\)$/m);
        assert.ok(text.includes(logCommand("alice")));
        assert.doesNotMatch(text, /bob|secret/);
    });
});
