import * as assert from "assert";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { DASHBOARD_PARALLEL, UsageError, parseCommandLine } from "../../classroom/args";
import { StudentLook, dashboardRow, renderDashboard } from "../../classroom/dashboard";
import {
    DEFAULT_DASHBOARD_FILE,
    LabLook,
    classDashboard,
    classReader,
    serveDashboard,
} from "../../classroom/dashboardServer";
import { StackOutputs } from "../../classroom/stacks";
import { VerifyReport, buildReport } from "../../verify/report";
import { checkRecord } from "./checkRecords";
import { LabTarget } from "../../verify/target";
import { classicSidecarPod, initPod, T0 } from "../verify/fixtures";
import { FakeApiServer } from "../verify/fakeApiServer";

const NOW = T0 + 90_000;

const check = (id: string, passed: boolean, message: string, hint?: string) =>
    checkRecord(id, passed, NOW, message, hint);

/** A one-look report: every check passed, or the streaming one failed with this message and hint. */
function report(student: string, failing?: { message: string; hint: string }): VerifyReport {
    const checks = [
        check("init-pod.init-completed", true, "init ok"),
        check("init-pod.main-after-init", true, "main after init"),
        check("sidecar-pod.side-by-side", true, "side by side"),
        check("sidecar-pod.streaming", !failing, failing?.message ?? "streaming", failing?.hint),
    ];
    const target = { description: `stack ${student}`, namespace: `lab-${student}`, stack: student, context: null };
    return buildReport(target, checks, NOW, NOW + 5, T0);
}

const lab = { pods: [initPod(11, 12), classicSidecarPod()], events: [] };
const looks: StudentLook[] = [
    { result: { student: "alice", status: "passed", report: report("alice") }, ...lab },
    {
        result: {
            student: "bob",
            status: "failed",
            report: report("bob", {
                message: "sidecar-test: the sidecar printed no new line in 10 s <stale>",
                hint: "Look at the main container's log.",
            }),
        },
        ...lab,
    },
    {
        result: { student: "carol", status: "no stack", error: "no stack (not deployed yet: run classroom up)" },
        pods: [],
        events: [],
    },
    {
        result: { student: "dave", status: "error", error: "could not read the cluster: connect ECONNREFUSED" },
        pods: [],
        events: [],
    },
];

/** Each student's row of the page, by name. */
function pageRows(html: string): Map<string, string> {
    const rows = new Map<string, string>();
    for (const part of html.split('<tr class="student"').slice(1)) {
        const name = /^ data-student="([^"]+)"/.exec(part)?.[1];
        assert.ok(name, part.slice(0, 80));
        rows.set(name, part.slice(0, part.indexOf("</tr>")));
    }
    return rows;
}

const bars = (html: string) => (html.match(/<rect class="bar /g) ?? []).length;

describe("classroom dashboard: the page", () => {
    const rows = looks.map((l) => dashboardRow(l, NOW));
    const html = renderDashboard(rows, NOW, { backend: "file:///state" });
    const byStudent = pageRows(html);

    it("has a row per student, in the class's order, with verify's result", () => {
        assert.deepStrictEqual([...byStudent.keys()], ["alice", "bob", "carol", "dave"]);
        assert.match(html, /<strong>1 of 4 students passed every check\.<\/strong>/);
        assert.match(byStudent.get("alice")!, /data-status="passed".*4\/4 checks.*Every check passed\./);
        assert.match(byStudent.get("alice")!, /1m30s ago/, "time since the Pods started");
        assert.match(byStudent.get("bob")!, /data-status="failed".*3\/4 checks/);
    });

    it("shows the first failing check, why (escaped) and the hint", () => {
        const bob = byStudent.get("bob")!;
        assert.match(
            bob,
            /<code>sidecar-pod\.streaming<\/code> sidecar-test: the sidecar printed no new line in 10 s &lt;stale&gt;/,
        );
        assert.match(bob, /<div class="hint">Look at the main container's log\.<\/div>/);
        assert.ok(!bob.includes("<stale>"), "the message is text, not markup");
    });

    it("a student whose stack or cluster cannot be read is a row that says why; the others are drawn", () => {
        assert.match(byStudent.get("carol")!, /no stack.*no stack \(not deployed yet: run classroom up\)/);
        assert.match(byStudent.get("dave")!, /cannot read.*could not read the cluster: connect ECONNREFUSED/);
        assert.strictEqual(bars(byStudent.get("carol")!), 0);
        // alice's two Pods: the init Pod's two containers, the sidecar Pod's two, one bar each.
        assert.strictEqual(bars(byStudent.get("alice")!), 4);
        assert.strictEqual((byStudent.get("alice")!.match(/<svg /g) ?? []).length, 2);
        assert.match(byStudent.get("alice")!, /<figcaption>init-test <span class="kubectl">1\/1 Running<\/span>/);
    });

    it("draws timeline/page.ts's chart, smaller", () => {
        // The full chart is 760 wide; here 0.6 of it, the drawing (viewBox) unchanged.
        assert.match(byStudent.get("alice")!, /<svg [^>]*width="456" height="\d+" viewBox="0 0 760 /);
        assert.match(html, /<p class="legend">/);
    });

    it("is self-contained: no script, nothing fetched from anywhere", () => {
        assert.ok(!/<script|<link|<img|<iframe|src=|href=|url\(|@import/i.test(html), "no external resource");
        const urls = html.match(/https?:\/\/[^"' <]+/g) ?? [];
        assert.deepStrictEqual(new Set(urls), new Set(["http://www.w3.org/2000/svg"]), "only the SVG namespace");
        assert.ok(!html.includes('http-equiv="refresh"'), "a page written once does not reload");
    });

    it("reloads itself every --refresh seconds when served", () => {
        const served = renderDashboard(rows, NOW, { backend: "b", refreshSeconds: 15 });
        assert.match(served, /<meta http-equiv="refresh" content="15">/);
        assert.match(served, /read again every 15 s/);
    });
});

const outputsOf = (student: string): StackOutputs => ({
    namespace: { value: `lab-${student}`, secret: false },
    kubeContext: { value: `kind-lab-${student}`, secret: false },
});
const looked = (target: LabTarget): LabLook => ({ report: report(target.stack!), pods: [], events: [] });

describe("classroom dashboard: reading the class", () => {
    it("reads the students in parallel, each stack's outputs once across reads", async () => {
        const outputsRead: string[] = [];
        let active = 0;
        let maxActive = 0;
        const read = classReader(["a", "b", "c", "d", "e"], new Set(["a", "b", "c", "d", "e"]), {
            parallel: 16,
            outputs: async (s) => {
                outputsRead.push(s);
                return outputsOf(s);
            },
            look: async (target) => {
                active++;
                maxActive = Math.max(maxActive, active);
                await new Promise((r) => setTimeout(r, 20));
                active--;
                return looked(target);
            },
        });
        const first = await read();
        const second = await read();
        assert.deepStrictEqual(
            first.map((l) => [l.result.student, l.result.status]),
            ["a", "b", "c", "d", "e"].map((s) => [s, "passed"]),
        );
        assert.strictEqual(second.length, 5);
        assert.strictEqual(maxActive, 5, "every student at once");
        assert.deepStrictEqual(outputsRead.sort(), ["a", "b", "c", "d", "e"], "outputs read once each");
    });

    it("says 'no stack' for a roster name Pulumi has no stack for, and reads a failed stack again next time", async () => {
        let bobFails = true;
        const outputsRead: string[] = [];
        const read = classReader(["alice", "bob", "ghost"], new Set(["alice", "bob", "ghost"]), {
            parallel: 4,
            outputs: async (s) => {
                outputsRead.push(s);
                if (s === "ghost") {
                    const err = new Error("no stack named 'ghost' found");
                    err.name = "StackNotFoundError";
                    throw err;
                }
                if (s === "bob" && bobFails) throw new Error("error: the backend is unreachable");
                return outputsOf(s);
            },
            look: async (target) => looked(target),
        });
        const first = await read();
        assert.deepStrictEqual(
            first.map((l) => [l.result.student, l.result.status, l.result.error ?? null]),
            [
                ["alice", "passed", null],
                ["bob", "error", "the backend is unreachable"],
                ["ghost", "no stack", "no stack (not deployed yet: run classroom up)"],
            ],
        );
        bobFails = false;
        const second = await read();
        assert.strictEqual(second[1].result.status, "passed");
        assert.strictEqual(outputsRead.filter((s) => s === "bob").length, 2, "bob's outputs read again");
        assert.strictEqual(outputsRead.filter((s) => s === "alice").length, 1, "alice's kept");
    });
});

/** GET (or another method) on a served URL: status, headers, body. */
function request(url: string, method = "GET") {
    return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
        // A connection of its own each time (no keep-alive): what a browser opening the page does first.
        const req = http.request(url, { method, agent: false }, (res) => {
            let body = "";
            res.setEncoding("utf8");
            res.on("data", (chunk: string) => (body += chunk));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        });
        req.on("error", reject);
        req.end();
    });
}

describe("classroom dashboard --serve", () => {
    it("serves the page on 127.0.0.1, made once per refresh however many requests come", async () => {
        let made = 0;
        const served = await serveDashboard({
            host: "127.0.0.1",
            port: 0,
            refreshSeconds: 3600,
            page: async () => `<!DOCTYPE html><p>page ${++made}</p>`,
        });
        try {
            assert.match(served.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
            const answers = await Promise.all(Array.from({ length: 20 }, () => request(served.url)));
            for (const a of answers) {
                assert.strictEqual(a.status, 200);
                assert.strictEqual(a.body, "<!DOCTYPE html><p>page 1</p>");
                assert.strictEqual(a.headers["content-type"], "text/html; charset=utf-8");
                assert.match(String(a.headers["content-security-policy"]), /default-src 'none'/);
            }
            assert.strictEqual(made, 1, "twenty requests, one read of the class");
            assert.strictEqual((await request(`${served.url}other`)).status, 404);
            assert.strictEqual((await request(served.url, "POST")).status, 405);
        } finally {
            await served.close();
        }
        await assert.rejects(request(served.url), /ECONNREFUSED/, "closed: nothing listens any more");
    });

    it("reads again every refreshSeconds, keeping the last good page when a read fails", async () => {
        let made = 0;
        const errors: string[] = [];
        const served = await serveDashboard({
            host: "127.0.0.1",
            port: 0,
            refreshSeconds: 0.05,
            page: async () => {
                made++;
                if (made === 2) throw new Error("the backend is away");
                return `page ${made}`;
            },
            onError: (err) => errors.push((err as Error).message),
        });
        try {
            const deadline = Date.now() + 5000;
            while (served.reads() < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
            assert.ok(served.reads() >= 3, `${served.reads()} reads`);
            assert.deepStrictEqual(errors, ["the backend is away"]);
            assert.match((await request(served.url)).body, /^page [3-9]/);
        } finally {
            await served.close();
        }
    });

    it("says which port is taken, with another to try", async () => {
        const first = await serveDashboard({ host: "127.0.0.1", port: 0, refreshSeconds: 3600, page: async () => "" });
        try {
            const port = Number(new URL(first.url).port);
            await assert.rejects(
                serveDashboard({ host: "127.0.0.1", port, refreshSeconds: 3600, page: async () => "" }),
                new RegExp(`port 127\\.0\\.0\\.1:${port} is in use; choose another\\. Example: --serve ${port + 1}`),
            );
        } finally {
            await first.close();
        }
    });
});

describe("classroom dashboard: the command", function () {
    this.timeout(30_000);
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "dashboard-"))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const stacksWith = (outputs: Record<string, StackOutputs>) => ({
        list: async () => Object.keys(outputs).map((name) => ({ name, managed: true })),
        outputs: async (student: string) => {
            const found = outputs[student];
            if (found) return found;
            const err = new Error(`no stack named '${student}' found`);
            err.name = "StackNotFoundError";
            throw err;
        },
    });

    it("reads each lab through its stack's own kubeconfig (a student's, in the shared topology) and writes the page", async () => {
        const api = new FakeApiServer();
        const kubeconfig = await api.start();
        try {
            api.pods.set("init-test", JSON.parse(JSON.stringify(initPod(11, 12))));
            api.pods.set("sidecar-test", JSON.parse(JSON.stringify(classicSidecarPod())));
            api.logs.set("sidecar-test/sidecar-container", "Hello Container\n".repeat(5));
            const stacks = stacksWith({
                alice: {
                    namespace: { value: "lab-dev", secret: false },
                    studentKubeconfig: { value: fs.readFileSync(kubeconfig, "utf8"), secret: true },
                },
            });
            const out: string[] = [];
            const options = parseCommandLine(["dashboard", "--students", "alice,ghost"]);
            const code = await classDashboard(options, ["alice", "ghost"], stacks, "file:///s", dir, {
                out: (t) => out.push(t),
                interrupted: () => new Promise(() => undefined),
            });
            assert.strictEqual(code, 0);
            const file = path.join(dir, DEFAULT_DASHBOARD_FILE);
            assert.match(out.join(""), new RegExp(`1 of 2 students passed every check\\.\\nWrote ${file}\\n$`));
            const rows = pageRows(fs.readFileSync(file, "utf8"));
            assert.match(rows.get("alice")!, /data-status="passed".*4\/4 checks/);
            assert.strictEqual(bars(rows.get("alice")!), 4);
            assert.match(rows.get("ghost")!, /no stack \(not deployed yet: run classroom up\)/);
            const writes = api.requests.filter((r) => !r.startsWith("GET "));
            assert.deepStrictEqual(writes, [], "read-only: GETs only");
            assert.ok(
                api.requests.some((r) => r.endsWith("/pods/sidecar-test/log")),
                api.requests.join("\n"),
            );
        } finally {
            await api.stop();
        }
    });

    it("--serve: serves the class on 127.0.0.1 until Ctrl-C, then exits 0", async () => {
        const options = { ...parseCommandLine(["dashboard", "--serve", "8080", "--refresh", "3600"]), serve: 0 };
        const out: string[] = [];
        let interrupt!: () => void;
        const code = classDashboard(
            options,
            ["alice", "bob"],
            stacksWith({ alice: outputsOf("alice"), bob: outputsOf("bob") }),
            "file:///s",
            dir,
            {
                out: (t) => {
                    out.push(t);
                    const url = /Serving the class dashboard on (http:\S+) /.exec(t)?.[1];
                    if (!url) return;
                    request(url).then(
                        (answer) => {
                            out.push(`GOT ${answer.status} ${pageRows(answer.body).size} rows`);
                            interrupt();
                        },
                        (err) => {
                            out.push(`GET failed: ${err}`);
                            interrupt();
                        },
                    );
                },
                interrupted: () => new Promise((resolve) => (interrupt = resolve)),
            },
            async (target) => looked(target),
        );
        assert.strictEqual(await code, 0);
        const text = out.join("");
        assert.match(text, /\d\d:\d\d:\d\d 2 of 2 students passed every check\n/);
        assert.match(text, /Serving the class dashboard on http:\/\/127\.0\.0\.1:\d+\/ \(read again every 3600 s\)/);
        assert.match(text, /GOT 200 2 rows/);
        assert.match(text, /Stopped\.\n$/);
        assert.ok(!fs.existsSync(path.join(dir, DEFAULT_DASHBOARD_FILE)), "serving writes no file unless --out");
    });
});

describe("classroom dashboard: the command line", () => {
    const bad = (argv: string[], pattern: RegExp) =>
        assert.throws(
            () => parseCommandLine(argv),
            (e: Error) => e instanceof UsageError && pattern.test(e.message),
        );

    it("takes the class, --out, or --serve with --host and --refresh; serves on 127.0.0.1 by default", () => {
        const once = parseCommandLine(["dashboard", "--roster", "class.txt", "--out", "class.html"]);
        assert.deepStrictEqual(
            [once.command, once.out, once.serve, once.host, once.parallel],
            ["dashboard", "class.html", undefined, undefined, DASHBOARD_PARALLEL],
        );
        const served = parseCommandLine(["dashboard", "--serve", "8080"]);
        assert.deepStrictEqual([served.serve, served.host, served.refreshSeconds], [8080, "127.0.0.1", 10]);
        const open = parseCommandLine(["dashboard", "--serve", "80", "--host", "0.0.0.0", "--refresh", "30"]);
        assert.deepStrictEqual([open.serve, open.host, open.refreshSeconds], [80, "0.0.0.0", 30]);
        assert.strictEqual(parseCommandLine(["dashboard", "--serve", "1", "--host", "::1"]).host, "::1");
    });

    it("rejects bad ports, refresh periods and hosts, each with an example", () => {
        for (const port of ["0", "65536", "http", "80.5"]) {
            bad(
                ["dashboard", "--serve", port],
                new RegExp(`--serve must be a port number from 1 to 65535; got "${port}"\\. Example: --serve 8080`),
            );
        }
        for (const refresh of ["1", "3601", "soon"]) {
            bad(
                ["dashboard", "--serve", "8080", "--refresh", refresh],
                /--refresh must be a whole number of seconds from 2 to 3600.*Example: --refresh 30/,
            );
        }
        for (const host of ["localhost", "1.2.3.4; rm -rf", ""]) {
            bad(
                ["dashboard", "--serve", "8080", "--host", host],
                /--host must be an IP address.*Example: --host 0\.0\.0\.0/,
            );
        }
        bad(["dashboard", "--host", "0.0.0.0"], /--host goes with --serve PORT/);
        bad(["dashboard", "--refresh", "5"], /--refresh goes with --serve PORT/);
        bad(["dashboard", "--out", ""], /--out needs a file name/);
    });

    it("reads where each lab runs from its stack, and keeps its options to itself", () => {
        bad(
            ["dashboard", "--topology", "shared", "--kubeconfig", "k"],
            /dashboard reads where each student's lab runs from their stack/,
        );
        bad(["verify", "--serve", "8080"], /--serve goes with dashboard/);
        bad(["up", "--count", "2", "--host", "0.0.0.0", "--refresh", "3"], /--host, --refresh go with dashboard/);
        bad(["status", "--out", "x"], /--out goes with the kubeconfig and dashboard commands/);
        bad(["dashboard", "--csv", "x.csv"], /--csv goes with verify/);
    });
});
