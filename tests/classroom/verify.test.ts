import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv";
import { parse as parseCsv } from "csv-parse/sync";
import {
    CSV_COLUMNS,
    StudentVerifyResult,
    buildClassReport,
    classExitCode,
    classRow,
    csvField,
    defaultReportBase,
    renderClassCsv,
    renderClassTable,
    verifyClass,
} from "../../classroom/verify";
import { parseCommandLine, UsageError } from "../../classroom/args";
import { VerifyReport, buildReport } from "../../verify/report";
import { checkRecord } from "./checkRecords";
import { LabTarget } from "../../verify/target";

const T0 = Date.parse("2026-11-30T09:00:00Z");

const check = (id: string, passed: boolean, message?: string, hint?: string) =>
    checkRecord(id, passed, T0, message, hint);

function report(student: string, failing?: { message: string; hint: string }): VerifyReport {
    const checks = [
        check("init-pod.init-completed", !failing, failing?.message, failing?.hint),
        check(
            "init-pod.main-after-init",
            !failing,
            failing ? "the main container has not started" : undefined,
            failing?.hint,
        ),
        check("sidecar-pod.side-by-side", true),
        check("sidecar-pod.streaming", true),
    ];
    const target = { description: `stack ${student}`, namespace: `lab-${student}`, stack: student, context: null };
    return buildReport(target, checks, T0, T0 + 12_000, T0 - 5 * 60_000);
}

const outputs = (student: string) => ({
    namespace: { value: `lab-${student}`, secret: false },
    kubeContext: { value: `kind-lab-${student}`, secret: false },
});

describe("classroom verify: every student's lab", () => {
    it("verifies the students with a stack, at most --parallel at once, and reports the others", async () => {
        let active = 0;
        let maxActive = 0;
        const targets: LabTarget[] = [];
        const progress: string[] = [];
        const results = await verifyClass(["alice", "bob", "carol", "dave"], new Set(["alice", "bob", "carol"]), {
            parallel: 2,
            outputs: async (s) => outputs(s),
            verify: async (target) => {
                targets.push(target);
                active++;
                maxActive = Math.max(maxActive, active);
                await new Promise((r) => setTimeout(r, 10));
                active--;
                return report(
                    target.stack!,
                    target.stack === "bob" ? { message: "bob is stuck", hint: "fix it" } : undefined,
                );
            },
            progress: (s, line) => progress.push(`${s} | ${line}`),
        });
        assert.strictEqual(maxActive, 2);
        assert.deepStrictEqual(
            results.map((r) => [r.student, r.status]),
            [
                ["alice", "passed"],
                ["bob", "failed"],
                ["carol", "passed"],
                ["dave", "no stack"],
            ],
        );
        assert.deepStrictEqual(targets.map((t) => [t.namespace, t.context]).sort(), [
            ["lab-alice", "kind-lab-alice"],
            ["lab-bob", "kind-lab-bob"],
            ["lab-carol", "kind-lab-carol"],
        ]);
        assert.ok(
            progress.includes("bob | 2/4 checks passed in 12s (stack bob, namespace lab-bob, context kind-lab-bob)"),
            progress.join("\n"),
        );
        assert.strictEqual(classExitCode(results), 1);
        assert.strictEqual(classExitCode(results.filter((r) => r.status === "passed")), 0);
    });

    it("in the shared topology, checks with the student's own kubeconfig", async () => {
        let seen: LabTarget | undefined;
        await verifyClass(["alice"], new Set(["alice"]), {
            parallel: 1,
            outputs: async () => ({
                namespace: { value: "lab-alice", secret: false },
                studentKubeconfig: { value: "apiVersion: v1\nkind: Config\n", secret: true },
                kubeContext: { value: "shared-admin", secret: false },
            }),
            verify: async (target) => {
                seen = target;
                return report("alice");
            },
        });
        assert.strictEqual(seen?.kubeconfigText, "apiVersion: v1\nkind: Config\n");
        assert.strictEqual(seen?.context, undefined, "the student's kubeconfig has its own context");
        assert.match(seen!.description, /the student's kubeconfig/);
    });

    it("a stack without outputs or an unreachable cluster is an error row, and the others go on", async () => {
        const results = await verifyClass(["alice", "bob", "carol"], new Set(["alice", "bob", "carol"]), {
            parallel: 3,
            outputs: async (s) => (s === "alice" ? {} : outputs(s)),
            verify: async (t) => {
                if (t.stack === "bob") throw new Error("connect ECONNREFUSED 127.0.0.1:6443\nstack");
                return report(t.stack!);
            },
        });
        assert.deepStrictEqual(
            results.map((r) => [r.student, r.status, r.error]),
            [
                ["alice", "error", 'stack "alice" has no outputs yet (no namespace output): run `npm run up` first.'],
                ["bob", "error", "connect ECONNREFUSED 127.0.0.1:6443"],
                ["carol", "passed", undefined],
            ],
        );
    });

    it("a stack the CLI cannot read says the CLI's own error, not its exit code", async () => {
        const [row] = await verifyClass(["dan"], new Set(["dan"]), {
            parallel: 1,
            outputs: async () => {
                throw new Error("code: 255\n stdout: \n stderr: error: no stack named 'dan' found\n");
            },
            verify: async (t) => report(t.stack!),
        });
        assert.strictEqual(row.status, "error");
        assert.match(row.error!, /no stack named 'dan' found/);
        assert.doesNotMatch(row.error!, /code: 255/);
    });
});

const results: StudentVerifyResult[] = [
    { student: "alice", status: "passed", report: report("alice") },
    {
        student: "bob",
        status: "failed",
        report: report("bob", {
            message: 'init-test: init container "init-container" has not completed; it is waiting (ErrImagePull).',
            hint: 'The image "busybox:nope" cannot be pulled, check it, then run "npm run up".',
        }),
    },
    { student: "carol", status: "no stack", error: "no stack (not deployed yet: run classroom up)" },
];
const now = T0 + 20_000;

describe("classroom verify: the rows, table, CSV and JSON", () => {
    it("a row: checks passed, the first failing check and why, time since the Pods started", () => {
        assert.deepStrictEqual(classRow(results[1], now), {
            student: "bob",
            status: "failed",
            passed: 2,
            total: 4,
            firstFailure: {
                id: "init-pod.init-completed",
                message: 'init-test: init container "init-container" has not completed; it is waiting (ErrImagePull).',
                hint: 'The image "busybox:nope" cannot be pulled, check it, then run "npm run up".',
            },
            podsStartedAt: "2026-11-30T08:55:00.000Z",
            secondsSincePodsStarted: 320,
        });
        assert.strictEqual(classRow(results[0], now).firstFailure, null);
        assert.deepStrictEqual(classRow(results[2], now).firstFailure, {
            id: "stack",
            message: "no stack (not deployed yet: run classroom up)",
            hint: null,
        });
    });

    it("the table: one row per student, a count, and each stuck student's hint", () => {
        const table = renderClassTable(results.map((r) => classRow(r, now)));
        const lines = table.split("\n");
        assert.match(lines[0], /^STUDENT +RESULT +PASSED +PODS STARTED +FIRST FAILING CHECK +WHY$/);
        assert.match(lines[1], /^alice +passed +4\/4 +5m20s ago +- +-$/);
        assert.match(
            lines[2],
            /^bob +failed +2\/4 +5m20s ago +init-pod.init-completed +init-test: init container "init-container" has not completed; it is waiting \(ErrImagePu\.\.\.$/,
        );
        assert.match(lines[3], /^carol +no stack +- +- +stack +no stack \(not deployed yet: run classroom up\)$/);
        assert.match(table, /\n1 of 3 students passed every check\.\n/);
        assert.match(table, /What to look at:\n {2}- bob: The image "busybox:nope" cannot be pulled/);
        const width = lines[0].indexOf("RESULT");
        assert.ok(
            lines.slice(1, 4).every((l) => l.slice(width - 2, width) === "  "),
            "columns aligned",
        );
    });

    it("the CSV is RFC 4180: quotes doubled, commas and line breaks quoted, and a spreadsheet parser reads it back", () => {
        const rows = results.map((r) => classRow(r, now));
        rows[0].firstFailure = { id: "x", message: 'line one\nline "two", with comma', hint: "=HYPERLINK(1)" };
        const csv = renderClassCsv(rows);
        assert.ok(csv.endsWith("\r\n"));
        const records: string[][] = parseCsv(csv, { relax_column_count: false });
        assert.deepStrictEqual(records[0], [...CSV_COLUMNS]);
        assert.strictEqual(records.length, 4);
        assert.deepStrictEqual(records[1].slice(0, 7), [
            "alice",
            "passed",
            "4",
            "4",
            "x",
            'line one\nline "two", with comma',
            "'=HYPERLINK(1)",
        ]);
        assert.deepStrictEqual(records[2].slice(0, 5), ["bob", "failed", "2", "4", "init-pod.init-completed"]);
        assert.strictEqual(records[2][6], rows[1].firstFailure!.hint);
        assert.deepStrictEqual(records[2].slice(7), ["2026-11-30T08:55:00.000Z", "320"]);
        assert.deepStrictEqual(records[3].slice(7), ["", ""], "unknown is empty, not 'null'");
        assert.strictEqual(csvField('a"b'), '"a""b"');
        assert.strictEqual(csvField("plain"), "plain");
        assert.strictEqual(csvField(-3), "-3", "a number is not a formula");
    });

    it("the JSON has a summary, each row and the student's whole report, and validates against its schema", () => {
        const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
        const read = (f: string) => JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", f), "utf8"));
        ajv.addSchema(read("verify/report.schema.json"));
        const validate = ajv.compile(read("classroom/verify-report.schema.json"));
        const doc: ReturnType<typeof buildClassReport> = JSON.parse(
            JSON.stringify(buildClassReport(results, now, "file:///state")),
        );
        assert.ok(validate(doc), JSON.stringify(validate.errors));
        assert.deepStrictEqual(doc.summary, { students: 3, passed: 1, failed: 1, errors: 0, noStack: 1 });
        assert.strictEqual(
            doc.students[1].report?.checks[0].explanation?.hint,
            results[1].report!.checks[0].explanation!.hint,
        );
        assert.strictEqual(doc.students[2].report, null);
        assert.strictEqual(validate({ ...doc, students: [{ ...doc.students[0], status: "great" }] }), false);
        assert.strictEqual(
            validate({ ...doc, students: [{ ...doc.students[0], report: { checks: [] } as unknown }] }),
            false,
            "the nested report is checked too",
        );
    });

    it("default file names carry the UTC time, so a run does not overwrite the last", () => {
        assert.strictEqual(
            defaultReportBase(Date.parse("2026-11-30T01:02:03.456Z")),
            "classroom-verify-20261130-010203",
        );
    });
});

describe("classroom verify: the command line", () => {
    it("takes the class, --parallel, --timeout and the report files", () => {
        const options = parseCommandLine([
            "verify",
            "--roster",
            "class.txt",
            "--parallel",
            "8",
            "--timeout",
            "60",
            "--csv",
            "c.csv",
            "--json",
            "c.json",
            "--junit",
            "c.xml",
        ]);
        assert.deepStrictEqual(
            [options.command, options.parallel, options.timeoutSeconds, options.csv, options.json, options.junit],
            ["verify", 8, 60, "c.csv", "c.json", "c.xml"],
        );
        assert.strictEqual(parseCommandLine(["verify"]).roster, undefined, "no class: every stack the classroom made");
    });

    it("rejects what does not go with verify, and verify's options elsewhere", () => {
        const bad = (argv: string[], pattern: RegExp) =>
            assert.throws(
                () => parseCommandLine(argv),
                (e: Error) => e instanceof UsageError && pattern.test(e.message),
            );
        bad(["verify", "--timeout", "0"], /--timeout must be a whole number of seconds from 1 to 3600; got "0"/);
        bad(
            ["verify", "--topology", "shared", "--kubeconfig", "k"],
            /verify reads where each student's lab runs from their stack/,
        );
        bad(["status", "--csv", "x.csv"], /--csv goes with verify/);
        bad(["up", "--count", "2", "--timeout", "5", "--json", "j"], /--timeout, --json go with verify/);
        bad(["verify", "--csv", ""], /--csv needs a file name/);
    });
});
