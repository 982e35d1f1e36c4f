import * as assert from "assert";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { labChecks } from "../../verify/checks";
import { ObservedState, podsStartedAt } from "../../verify/model";
import {
    VerifyReport,
    buildReport,
    exitCodeOf,
    overallStatus,
    renderJson,
    renderJunit,
    renderText,
    xmlEscape,
} from "../../verify/report";
import { CheckRecord, Observer, runChecks } from "../../verify/run";
import { validateReport } from "./schema";
import { T0, classicSidecarPod, event, imagePullPod, initPod } from "./fixtures";

const target = { description: "stack dev, namespace lab-dev", namespace: "lab-dev", stack: "dev", context: null };

/** A real run of the lab's checks on a fake observer: passing, or the init Pod unable to pull its image. */
async function runLab(broken: boolean): Promise<VerifyReport> {
    let now = T0;
    let reads = 0;
    const observer: Observer = {
        observe: async (request) => {
            reads++;
            const state: ObservedState = {
                at: now,
                namespace: "lab-dev",
                pods: {
                    "init-test": broken ? imagePullPod() : initPod(11, 12),
                    "sidecar-test": classicSidecarPod(),
                },
                logs: {
                    "sidecar-test/sidecar-container": {
                        first: { text: "Hello Container\n", at: T0 },
                        latest: { text: "Hello Container\n".repeat(reads), at: now },
                    },
                },
            };
            if (request.evidence) {
                state.events = [event("init-test", "Failed", 'Failed to pull image "busybox:no-such-tag" <&"\'>', 3)];
                state.tails = { "sidecar-test/sidecar-container": ["Hello Container"] };
            }
            return state;
        },
    };
    let last: ObservedState | undefined;
    const records = await runChecks(labChecks({ initPod: "init-test", sidecarPod: "sidecar-test" }), observer, {
        onObserve: (s) => (last = s),
        timeoutSeconds: 4,
        now: () => now,
        sleep: async (ms) => {
            now += ms;
        },
    });
    return buildReport(target, records, T0, now, podsStartedAt(last));
}

function record(id: string, status: CheckRecord["status"], message: string): CheckRecord {
    return {
        id,
        description: `checks ${id}.`,
        status,
        message,
        observed: {},
        startedAt: new Date(T0).toISOString(),
        finishedAt: new Date(T0 + 1500).toISOString(),
        durationMs: 1500,
        timeoutSeconds: 60,
        attempts: 1,
    };
}

const xml = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "",
    isArray: (name) => name === "testcase" || name === "testsuite",
});

describe("verify: the JSON report", () => {
    it("a passing run validates against the schema, with its summary and timings", async () => {
        const report = await runLab(false);
        assert.ok(validateReport(report), JSON.stringify(validateReport.errors));
        assert.strictEqual(report.status, "passed");
        assert.deepStrictEqual(report.summary, { total: 4, passed: 4, failed: 0, errors: 0 });
        assert.strictEqual(report.startedAt, "2026-11-25T10:00:00.000Z");
        assert.strictEqual(report.podsStartedAt, "2026-11-25T10:00:00.000Z", "the earliest Pod's startTime");
        assert.strictEqual(podsStartedAt(undefined), undefined);
        assert.strictEqual(buildReport(target, [], T0, T0).podsStartedAt, null);
        assert.ok(report.checks.every((c) => c.explanation === undefined));
        const parsed = JSON.parse(renderJson(report));
        assert.ok(validateReport(parsed), "still valid after a trip through JSON text");
    });

    it("a failing run validates too, explanations included", async () => {
        const report = await runLab(true);
        assert.ok(validateReport(report), JSON.stringify(validateReport.errors));
        assert.strictEqual(report.status, "failed");
        assert.deepStrictEqual(report.summary, { total: 4, passed: 2, failed: 2, errors: 0 });
        const failed = report.checks.find((c) => c.id === "init-pod.init-completed")!;
        assert.strictEqual(failed.durationMs, 4000);
        assert.strictEqual(failed.observed["init-container.state"], "waiting (ImagePullBackOff)");
        assert.match(failed.explanation!.hint, /cannot be pulled/);
    });

    it("the schema rejects what it should: a missing field, an unknown status, an object as an observed value", async () => {
        const report = JSON.parse(JSON.stringify(await runLab(true)));
        const broken = [
            { ...report, status: "maybe" },
            { ...report, checks: [{ ...report.checks[0], observed: { x: { nested: 1 } } }] },
            { ...report, checks: [{ ...report.checks[0], id: "Has Spaces" }] },
            { ...report, startedAt: "yesterday" },
            (() => {
                const r = { ...report };
                delete r.summary;
                return r;
            })(),
        ];
        for (const r of broken) assert.strictEqual(validateReport(r), false, JSON.stringify(r).slice(0, 80));
    });

    it("status and exit code: error beats failed beats passed", () => {
        const passed = record("a", "passed", "ok");
        const failed = record("b", "failed", "no");
        const error = record("c", "error", "unreachable");
        assert.strictEqual(overallStatus([passed]), "passed");
        assert.strictEqual(overallStatus([passed, failed]), "failed");
        assert.strictEqual(overallStatus([failed, error]), "error");
        assert.deepStrictEqual(
            (["passed", "failed", "error"] as const).map((status) => exitCodeOf({ status })),
            [0, 1, 2],
        );
    });
});

describe("verify: the text report", () => {
    it("one line a check, the explanation under a failure, and a verdict", async () => {
        const text = renderText(await runLab(true));
        assert.match(
            text,
            /^FAIL {2}init-test: init container "init-container" has not completed; it is waiting \(ImagePullBackOff\)\.\n {6}Pod init-test: Init:ImagePullBackOff, READY 0\/1, RESTARTS 0; phase Pending/,
        );
        assert.match(
            text,
            /\n {6}\(Pod init-test: see above\)\nPASS {2}sidecar-test: the main container and the sidecar/,
        );
        assert.match(text, /\n2 of 4 checks failed\.\n$/);
        assert.match(
            renderText(await runLab(false)),
            /\nAll 4 checks passed: the init container finished before the app, and the sidecar runs beside it\.\n$/,
        );
    });
});

describe("verify: the JUnit report", () => {
    it("is well-formed XML with one testcase a check, failures counted", async () => {
        const report = await runLab(true);
        const text = renderJunit([{ name: "lab dev", report }]);
        assert.strictEqual(XMLValidator.validate(text), true);
        const doc = xml.parse(text);
        assert.deepStrictEqual([doc.testsuites.tests, doc.testsuites.failures, doc.testsuites.errors], ["4", "2", "0"]);
        const [suite] = doc.testsuites.testsuite;
        assert.deepStrictEqual(
            [suite.name, suite.tests, suite.failures, suite.errors, suite.skipped],
            ["lab dev", "4", "2", "0", "0"],
        );
        assert.strictEqual(suite.timestamp, "2026-11-25T10:00:00");
        assert.strictEqual(suite.time, "4.000");
        const cases = suite.testcase;
        assert.deepStrictEqual(
            cases.map((c: { name: string; failure?: unknown }) => [c.name.split(":")[0], c.failure !== undefined]),
            [
                ["init-pod.init-completed", true],
                ["init-pod.main-after-init", true],
                ["sidecar-pod.side-by-side", false],
                ["sidecar-pod.streaming", false],
            ],
        );
        const failure = cases[0].failure;
        assert.strictEqual(failure.type, "CheckFailed");
        assert.match(failure.message, /has not completed; it is waiting \(ImagePullBackOff\)/);
        assert.match(failure["#text"], /hint: The image "busybox:no-such-tag"/);
    });

    it("escapes <&\"' in names, messages and bodies, so they read back unchanged", () => {
        const nasty = `image "a<b>&c" isn't there`;
        const report = buildReport(
            target,
            [record("x.y", "failed", nasty), record("x.z", "error", nasty)],
            T0,
            T0 + 2000,
        );
        const text = renderJunit([{ name: `class <"&'>`, report }]);
        assert.strictEqual(XMLValidator.validate(text), true);
        assert.ok(!text.includes('"a<b>'), "no raw special character");
        const parsed = new XMLParser({
            ignoreAttributes: false,
            attributeNamePrefix: "",
            processEntities: true,
            htmlEntities: false,
        }).parse(text);
        const suite = parsed.testsuites.testsuite;
        assert.strictEqual(suite.name, `class <"&'>`);
        assert.strictEqual(suite.testcase[0].failure.message, nasty);
        assert.strictEqual(suite.testcase[0].failure["#text"], nasty);
        assert.strictEqual(suite.testcase[1].error.message, nasty);
        assert.strictEqual(suite.testcase[1].error.type, "ClusterUnreadable");
        assert.deepStrictEqual([suite.failures, suite.errors], ["1", "1"]);
    });

    it("drops characters XML forbids, and sums several suites", async () => {
        assert.strictEqual(xmlEscape("a\u0000b\u001bc\td"), "abc\td");
        const pass = await runLab(false);
        const fail = await runLab(true);
        const text = renderJunit([
            { name: "alice", report: pass },
            { name: "bob", report: fail },
        ]);
        assert.strictEqual(XMLValidator.validate(text), true);
        const doc = xml.parse(text);
        assert.deepStrictEqual([doc.testsuites.tests, doc.testsuites.failures], ["8", "2"]);
        assert.deepStrictEqual(
            doc.testsuites.testsuite.map((s: { name: string }) => s.name),
            ["alice", "bob"],
        );
    });
});
