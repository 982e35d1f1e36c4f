import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { UsageError, main, parseVerifyArgs, readStackOutputs, readStackTarget } from "../../verify/cli";
import { MAX_TIMEOUT_SECONDS } from "../../verify/run";
import * as k8s from "@kubernetes/client-node";
import { verifyLab } from "../../verify/lab";
import { Check } from "../../verify/model";
import { LabTarget, Outputs, targetFromNamespace, targetFromOutputs } from "../../verify/target";
import { FakeApiServer } from "./fakeApiServer";
import { classicSidecarPod, event, imagePullPod, initPod } from "./fixtures";

const usageError = (argv: string[], pattern: RegExp) =>
    assert.throws(
        () => parseVerifyArgs(argv),
        (err: Error) => err instanceof UsageError && pattern.test(err.message),
    );

/** Runs main, collecting what it prints; `readStack` stands in for the Pulumi CLI. */
async function run(argv: string[], readStack?: (stack: string) => Promise<LabTarget>) {
    let out = "";
    let err = "";
    const code = await main(
        argv,
        (t) => (out += t),
        (t) => (err += t),
        readStack,
        200,
    );
    return { code, out, err };
}

describe("verify command line", () => {
    it("parses the options", () => {
        assert.deepStrictEqual(
            parseVerifyArgs(["--stack", "alice", "--timeout", "30", "--output", "junit", "--report", "r.xml"]),
            {
                help: false,
                stack: "alice",
                namespace: undefined,
                context: undefined,
                kubeconfig: undefined,
                timeoutSeconds: 30,
                output: "junit",
                report: "r.xml",
            },
        );
        const ns = parseVerifyArgs(["--namespace", "lab-dev", "--context", "kind-lab-dev", "--kubeconfig", "k"]);
        assert.deepStrictEqual(
            [ns.namespace, ns.context, ns.kubeconfig, ns.output, ns.timeoutSeconds],
            ["lab-dev", "kind-lab-dev", "k", "text", undefined],
        );
        assert.strictEqual(parseVerifyArgs(["-h"]).help, true);
    });

    it("rejects bad values, naming the option, the value and an example", () => {
        usageError(
            ["--output", "xml"],
            /--output must be one of text, json, junit; got "xml". Example: --output junit/,
        );
        usageError(["--timeout", "0"], /--timeout must be a whole number of seconds from 1 to 3600; got "0". Example/);
        usageError(["--timeout", "2.5"], /got "2.5"/);
        usageError(["--timeout", String(MAX_TIMEOUT_SECONDS + 1)], /from 1 to 3600/);
        usageError(["--stack", "a", "--namespace", "b"], /--stack or --namespace, not both/);
        usageError(["--context", "c"], /--context and --kubeconfig go with --namespace/);
        usageError(["--report", ""], /--report needs a file name/);
        usageError(["--stream-seconds", "5"], /Unknown option '--stream-seconds'/);
        usageError(["extra"], /Unexpected argument 'extra'/);
    });

    it("exits 0 on --help and 2 on bad usage, with the usage", async () => {
        const help = await run(["--help"]);
        assert.strictEqual(help.code, 0);
        assert.match(help.out, /^usage: npm run verify/);
        const bad = await run(["--output", "xml"]);
        assert.strictEqual(bad.code, 2);
        assert.match(bad.err, /^verify: --output must be one of[\s\S]*usage: npm run verify/);
    });

    it("exits 2, without the usage, when the kube context is not in the kubeconfig", async () => {
        const api = new FakeApiServer();
        const kubeconfig = await api.start();
        try {
            const r = await run(["--namespace", "lab-dev", "--kubeconfig", kubeconfig, "--context", "nope"]);
            assert.strictEqual(r.code, 2);
            assert.match(r.err, /the kube context "nope" is not in the kubeconfig/);
            assert.doesNotMatch(r.err, /usage:/);
        } finally {
            await api.stop();
        }
    });

    it("runs as a script (the main guard) and exits with main's code", () => {
        const cli = path.join(__dirname, "..", "..", "verify", "cli.ts");
        const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", cli, "--timeout", "x"], {
            encoding: "utf8",
        });
        assert.strictEqual(r.status, 2, r.stderr);
        assert.match(r.stderr, /--timeout must be a whole number/);
    });
});

describe("verify: a stack's target, read with the Pulumi CLI", () => {
    it("reads the outputs (secrets shown) and the config at once, with --stack, and makes the target of them", async () => {
        const calls: string[] = [];
        const run = async (args: readonly string[], cwd: string) => {
            calls.push(`${cwd}: pulumi ${args.join(" ")}`);
            return args[0] === "config"
                ? JSON.stringify({ "init-sidecar-lab:kubeconfigPath": { value: "/k/shared.yaml", secret: false } })
                : JSON.stringify({ namespace: "lab-alice", kubeContext: "shared", lessons: { "failing-init": {} } });
        };
        const target = await readStackTarget("alice", "/repo", run);
        assert.deepStrictEqual(calls.sort(), [
            "/repo: pulumi config --json --non-interactive --stack alice",
            "/repo: pulumi stack output --show-secrets --json --non-interactive --stack alice",
        ]);
        assert.deepStrictEqual(
            [target.namespace, target.context, target.kubeconfigPath, target.lessons, target.stack],
            ["lab-alice", "shared", "/k/shared.yaml", ["failing-init"], "alice"],
        );
    });

    it("says what the CLI said when a read fails; a stack the backend does not have is a StackNotFoundError", async () => {
        const missing = async () => {
            throw new Error("error: no stack named 'ghost' found");
        };
        await assert.rejects(
            readStackOutputs("ghost", "/repo", missing),
            (err: Error) => err.name === "StackNotFoundError" && /no stack named 'ghost' found/.test(err.message),
        );
        const locked = async () => {
            throw new Error("error: the stack is currently locked by 1 lock(s)");
        };
        await assert.rejects(
            readStackTarget("alice", "/repo", locked),
            (err: Error) => err.name === "Error" && /currently locked/.test(err.message),
        );
    });
});

describe("verify against an API server (a fake one)", function () {
    this.timeout(30_000);
    let api: FakeApiServer;
    let kubeconfig: string;
    let dir: string;
    const json = (o: unknown) => JSON.parse(JSON.stringify(o)) as unknown;

    beforeEach(async () => {
        api = new FakeApiServer();
        kubeconfig = await api.start();
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "verify-cli-"));
    });
    afterEach(async () => {
        await api.stop();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("exits 0 when the lab works, and writes the report it was asked for", async () => {
        api.pods.set("init-test", json(initPod(11, 12)));
        api.pods.set("sidecar-test", json(classicSidecarPod()));
        api.appendPerRead = "Hello Container\n";
        const report = path.join(dir, "r.json");
        const r = await run([
            "--namespace",
            "lab-dev",
            "--kubeconfig",
            kubeconfig,
            "--output",
            "json",
            "--report",
            report,
        ]);
        assert.strictEqual(r.code, 0, r.out + r.err);
        assert.match(r.out, /^PASS {2}init-test: init container "init-container" ran first/);
        assert.match(r.out, /All 4 checks passed/);
        assert.match(r.err, /Wrote the json report to/);
        const written = JSON.parse(fs.readFileSync(report, "utf8"));
        assert.strictEqual(written.status, "passed");
        assert.deepStrictEqual(written.summary, { total: 4, passed: 4, failed: 0, errors: 0 });
    });

    it("exits 1 on a broken lab, explaining each failure; --timeout bounds the wait", async () => {
        api.pods.set("init-test", json(imagePullPod("ErrImagePull")));
        api.events = [json(event("init-test", "Failed", 'Failed to pull image "busybox:no-such-tag"', 3))];
        const started = Date.now();
        const r = await run(["--namespace", "lab-dev", "--kubeconfig", kubeconfig, "--timeout", "1"]);
        assert.ok(Date.now() - started < 10_000, "waited about the timeout");
        assert.strictEqual(r.code, 1, r.out + r.err);
        assert.match(
            r.out,
            /FAIL {2}init-test: init container "init-container" has not completed; it is waiting \(ErrImagePull\)/,
        );
        assert.match(r.out, /Warning Failed: Failed to pull image "busybox:no-such-tag"/);
        assert.match(
            r.out,
            /hint: The image "busybox:no-such-tag" of container init-container cannot be pulled \(ErrImagePull\)/,
        );
        assert.match(r.out, /FAIL {2}Pod sidecar-test is not in namespace lab-dev/);
        assert.match(r.out, /4 of 4 checks failed/);
        assert.ok(
            api.requests.includes("GET /api/v1/namespaces/lab-dev/events"),
            "events were read for the explanation",
        );
    });

    it("fails at once, without waiting out the timeouts, where the lab's Pods are not", async () => {
        const started = Date.now();
        const r = await run(["--namespace", "lab-dev", "--kubeconfig", kubeconfig]);
        assert.ok(Date.now() - started < 10_000, `${Date.now() - started} ms`);
        assert.strictEqual(r.code, 1, r.out + r.err);
        assert.match(r.out, /FAIL {2}Pod init-test is not in namespace lab-dev/);
        assert.match(r.out, /hint: Pod init-test does not exist in namespace lab-dev: bring the lab up/);
    });

    it("prints JUnit on stdout with --output junit", async () => {
        const r = await run([
            "--namespace",
            "lab-dev",
            "--kubeconfig",
            kubeconfig,
            "--timeout",
            "1",
            "--output",
            "junit",
        ]);
        assert.strictEqual(r.code, 1);
        assert.match(
            r.out,
            /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="init-sidecar-lab verify" tests="4" failures="4" errors="0"/,
        );
        assert.match(r.err, /Checking the lab \(namespace lab-dev\)/, "progress goes to stderr");
    });

    it("a lesson's check plugs in: its fetch reads the cluster, its pure judge reads what fetch returned", async () => {
        api.pods.set("init-test", json(initPod(11, 12)));
        api.pods.set("sidecar-test", json(classicSidecarPod()));
        api.pods.set("lesson-pod", json({ metadata: { name: "lesson-pod", labels: { done: "yes" } } }));
        api.appendPerRead = "Hello Container\n";
        const lesson: Check = {
            id: "lesson.labelled",
            description: "The lesson's Pod carries the label done=yes.",
            timeoutSeconds: 5,
            pods: [],
            fetch: async ({ kubeConfig, namespace }) =>
                (await kubeConfig.makeApiClient(k8s.CoreV1Api).readNamespacedPod({ name: "lesson-pod", namespace }))
                    .metadata?.labels?.done ?? null,
            judge: (state) => {
                const done = state.fetched?.["lesson.labelled"];
                return done === "yes"
                    ? { ok: true, message: "lesson-pod is labelled done.", observed: { done } }
                    : { ok: false, message: "lesson-pod is not labelled done yet.", observed: { done: null } };
            },
        };
        const report = await verifyLab(targetFromNamespace("lab-dev", kubeconfig), {}, [lesson]);
        assert.deepStrictEqual(
            report.checks.map((c) => [c.id, c.status]),
            [
                ["init-pod.init-completed", "passed"],
                ["init-pod.main-after-init", "passed"],
                ["sidecar-pod.side-by-side", "passed"],
                ["sidecar-pod.streaming", "passed"],
                ["lesson.labelled", "passed"],
            ],
        );
        assert.deepStrictEqual(report.checks[4].observed, { done: "yes" });
        assert.ok(api.requests.includes("GET /api/v1/namespaces/lab-dev/pods/lesson-pod"));
    });

    it("oneLook: judges the sidecar's streaming from its log's timestamps, without waiting for a new line", async () => {
        api.pods.set("init-test", json(initPod(11, 12)));
        api.pods.set("sidecar-test", json(classicSidecarPod()));
        // Four lines, 5 s apart, the last 2 s ago: the app writes every 5 s (the default).
        api.logs.set("sidecar-test/sidecar-container", "Hello Container\n".repeat(4));
        api.lineAt = (i, n) => Date.now() - 2000 - (n - 1 - i) * 5000;
        const target = targetFromNamespace("lab-dev", kubeconfig);
        const started = Date.now();
        const report = await verifyLab(target, { oneLook: true });
        assert.ok(Date.now() - started < 2000, `${Date.now() - started} ms: no wait for a next line`);
        assert.strictEqual(report.status, "passed", JSON.stringify(report.checks));
        assert.match(report.checks[3].message, /the sidecar is streaming \/var\/log\/app.log: 2 new lines in 10 s/);
        assert.ok(!api.requests.includes("GET /api/v1/namespaces/lab-dev/events"), "a passing lab: no evidence read");

        // The same log, its last line a minute old: the sidecar stopped streaming; one look says so.
        api.lineAt = (i, n) => Date.now() - 60_000 - (n - 1 - i) * 5000;
        const stale = await verifyLab(target, { oneLook: true });
        assert.deepStrictEqual(
            stale.checks.map((c) => c.status),
            ["passed", "passed", "passed", "failed"],
        );
        assert.match(stale.checks[3].message, /printed no new line in 10 s \(the app writes every 5 s\)/);
    });

    it("checks the lessons the stack's outputs name, one line each, after the lab's", async () => {
        api.pods.set("init-test", json(initPod(11, 12)));
        api.pods.set("sidecar-test", json(classicSidecarPod()));
        api.appendPerRead = "Hello Container\n";
        const step = {
            name: "check-config",
            image: "busybox:1.37.0",
            imageID: "",
            ready: false,
            restartCount: 2,
            state: { terminated: { exitCode: 1, reason: "Error", message: "Not found: this step fails\n" } },
        };
        api.pods.set(
            "lesson-failing-init",
            json({
                metadata: { name: "lesson-failing-init" },
                status: { phase: "Pending", initContainerStatuses: [step], containerStatuses: [] },
            }),
        );
        api.events = [
            json(event("lesson-failing-init", "BackOff", "Back-off restarting failed container", 3, "Warning", 2)),
            json(event("lesson-failing-init", "Pulled", "Container image already present", 1, "Normal", 3)),
        ];
        const outputs: Outputs = {
            namespace: { value: "lab-dev" },
            kubeconfig: { value: fs.readFileSync(kubeconfig, "utf8") },
            // Sorted, as the engine returns an output object's keys.
            lessons: { value: { "failing-init": { fix: "kubectl ..." }, "native-sidecar": { jobs: "kubectl ..." } } },
        };
        const asked: string[] = [];
        const started = Date.now();
        const r = await run(["--stack", "alice"], async (stack) => {
            asked.push(stack);
            return targetFromOutputs(stack, outputs);
        });
        assert.deepStrictEqual(asked, ["alice"]);
        assert.ok(Date.now() - started < 10_000, "a missing Job fails at once");
        assert.strictEqual(r.code, 1, r.out + r.err);
        const verdicts = r.out.split("\n").filter((l) => /^(PASS|FAIL|ERROR) /.test(l));
        assert.strictEqual(verdicts.length, 6, r.out);
        assert.match(
            verdicts[4],
            /^PASS {2}lesson failing-init \(failing\): Pod lesson-failing-init is Init:Error: the init step "check-config" exited with code 1, its exitCode setting \("Not found: this step fails"\), 2 restarts so far with the kubelet backing off 2 times/,
        );
        assert.match(
            verdicts[5],
            /^FAIL {2}lesson native-sidecar \(missing; expected shown\): Job lesson-classic-sidecar does not exist/,
        );
        assert.match(
            r.out,
            /hint: Look at the lesson's Jobs and their Pods: kubectl describe jobs lesson-classic-sidecar/,
        );
        assert.match(r.out, /1 of 6 checks failed/);
        assert.ok(api.requests.includes("GET /apis/batch/v1/namespaces/lab-dev/jobs/lesson-classic-sidecar"));
    });

    it("exits 2 when the API server cannot be reached", async () => {
        await api.close();
        const r = await run(["--namespace", "lab-dev", "--kubeconfig", kubeconfig, "--timeout", "1"]);
        assert.strictEqual(r.code, 2, r.out + r.err);
        assert.match(r.out, /ERROR {2}could not read the cluster/);
        assert.match(r.out, /4 of 4 checks could not run/);
    });
});
