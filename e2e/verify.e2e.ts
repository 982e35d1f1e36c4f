import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv";
import { parse as parseCsv } from "csv-parse/sync";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { LabProject, runVerify } from "./harness";
import { sharedCluster, sleepMs } from "./realKind";

/**
 * `npm run verify` and `classroom verify` on a real cluster: a lab that works (checked right
 * after an up that did not wait for Ready, so verify must wait), a lab whose image cannot be
 * pulled (the explanation names the pull error), and a class of three with one broken student.
 */

/** The cluster under test. The only lines that know which fixture provides it: re-point them here. */
interface TestCluster {
    readonly kubeconfig: string;
    readonly context: string;
    kubectl(...args: string[]): string;
    /** A private project whose engine and pasted commands find this cluster's tools. */
    project(): LabProject;
}
function startCluster(): TestCluster {
    // The real kind cluster every existing-cluster suite of the run shares (deleted when mocha exits).
    const shared = sharedCluster();
    return { ...shared, project: () => shared.kind.project() };
}

const REPO = path.join(__dirname, "..");
const BAD_IMAGE = "busybox:no-such-tag";

function schemaValidator(schema: string) {
    const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
    ajv.addSchema(JSON.parse(fs.readFileSync(path.join(REPO, "verify", "report.schema.json"), "utf8")));
    if (schema === "verify") return ajv.getSchema("https://github.com/init-sidecar-lab/schemas/verify-report-v1.json")!;
    return ajv.compile(JSON.parse(fs.readFileSync(path.join(REPO, schema), "utf8")));
}

describe("verify on a real cluster", () => {
    let cluster: TestCluster;
    let project: LabProject;
    /** verify as a learner runs it, reading this project's stacks. */
    const verify = (...args: string[]) => runVerify(args, { ...project.env, LAB_PROJECT_DIR: project.workDir });
    const existing = () => ({ kubeconfigPath: cluster.kubeconfig, kubeContext: cluster.context });

    before(function () {
        this.timeout(600_000);
        cluster = startCluster();
        project = cluster.project();
    });
    after(() => project?.dispose());

    it("a working lab deployed with other values passes, verify waiting for them and quoting them right after an up that did not wait for Ready", async () => {
        const stack = await project.stack("good", {
            ...existing(),
            waitForReady: "false",
            initDelaySeconds: "25",
            intervalSeconds: "12",
            message: "Hi from the e2e suite",
            logPath: "/var/log/lab/e2e.log",
        });
        await stack.up();
        const report = path.join(project.root, "good.json");
        const run = verify("--stack", "good", "--output", "json", "--report", report);
        assert.strictEqual(run.status, 0, run.output);
        assert.match(
            run.output,
            /PASS {2}init-test: init container "init-container" ran first and completed \(exit 0\) after \d+ s/,
        );
        assert.match(run.output, /after 2\d s \(deployed with initDelaySeconds 25\)/);
        assert.match(
            run.output,
            /PASS {2}sidecar-test: the sidecar is streaming \/var\/log\/lab\/e2e\.log: \d+ new lines? in \d+ s \(last: "Hi from the e2e suite"\) \(the app writes every 12 s\)/,
        );
        assert.doesNotMatch(run.output, /expects the defaults/);
        assert.match(run.output, /All 4 checks passed/);
        const json = JSON.parse(fs.readFileSync(report, "utf8"));
        const validate = schemaValidator("verify");
        assert.ok(validate(json), JSON.stringify(validate.errors));
        assert.strictEqual(json.target.namespace, "lab-good");
        const init = json.checks.find((c: { id: string }) => c.id === "init-pod.init-completed");
        assert.ok(init.attempts > 1, `verify polled until the init container finished (${init.attempts} looks)`);
        assert.match(json.podsStartedAt, /^\d{4}-/);

        const junit = verify("--stack", "good", "--output", "junit", "--timeout", "60");
        assert.strictEqual(junit.status, 0, junit.output);
        const xml = junit.output.slice(junit.output.indexOf("<?xml"), junit.output.indexOf("</testsuites>") + 13);
        assert.strictEqual(XMLValidator.validate(xml), true);
        const suite = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(xml).testsuites
            .testsuite;
        assert.deepStrictEqual([suite.tests, suite.failures, suite.errors], ["4", "0", "0"]);
    });

    it("a lab whose image cannot be pulled fails, and the explanation names the pull error and the image", async () => {
        const stack = await project.stack("broken", { ...existing(), waitForReady: "false", image: BAD_IMAGE });
        await stack.up();
        const run = verify("--stack", "broken", "--timeout", "40");
        assert.strictEqual(run.status, 1, run.output);
        assert.match(
            run.output,
            /FAIL {2}init-test: init container "init-container" has not completed; it is waiting \((ErrImagePull|ImagePullBackOff)\)/,
        );
        assert.match(
            run.output,
            new RegExp(
                `init container init-container \\[${BAD_IMAGE}\\]: waiting \\((ErrImagePull|ImagePullBackOff)\\)`,
            ),
        );
        // Events of the same second come in any order (Pulling may be first), so look at the whole block.
        assert.match(run.output, /last events:\n(?: {10}.*\n)*? {10}(?:\S+ )?Warning (Failed|BackOff)\b/);
        assert.match(
            run.output,
            new RegExp(
                `hint: The image "${BAD_IMAGE}" of container \\S+ cannot be pulled \\((ErrImagePull|ImagePullBackOff)\\)`,
            ),
        );
        assert.match(run.output, /4 of 4 checks failed/);
        await stack.destroy();
    });

    describe("a class of three, one of them broken", () => {
        const students = ["ann", "ben", "cat"];

        it("classroom verify: a row per student, ben's first failing check and why, CSV and JSON written", () => {
            const up = project.classroom(
                "up",
                ...["--students", students.join(","), "--topology", "shared"],
                ...["--kubeconfig", cluster.kubeconfig, "--context", cluster.context, "--parallel", "3"],
            );
            assert.strictEqual(up.status, 0, up.output);
            // Ben swaps his sidecar's image for one that does not exist: the kubelet restarts it and cannot pull it.
            cluster.kubectl("-n", "lab-ben", "set", "image", "pod/sidecar-test", `sidecar-container=${BAD_IMAGE}`);
            // Until the kubelet has stopped the old sidecar, the two still run side by side: wait for that.
            const sidecarState = () =>
                cluster.kubectl(
                    ...["-n", "lab-ben", "get", "pod", "sidecar-test", "-o"],
                    'jsonpath={.status.containerStatuses[?(@.name=="sidecar-container")].state}',
                );
            for (let i = 0; i < 60 && !sidecarState().includes('"waiting"'); i++) sleepMs(1000);

            const csv = path.join(project.root, "class.csv");
            const json = path.join(project.root, "class.json");
            const run = project.classroom(
                "verify",
                ...[
                    "--students",
                    students.join(","),
                    "--parallel",
                    "3",
                    "--timeout",
                    "45",
                    "--csv",
                    csv,
                    "--json",
                    json,
                ],
            );
            assert.strictEqual(run.status, 1, run.output);
            assert.match(run.output, /^ann +passed +4\/4 +\S+ ago +- +-$/m);
            assert.match(run.output, /^cat +passed +4\/4 /m);
            assert.match(
                run.output,
                // side-by-side may have passed on a look before the image change took effect; then streaming fails.
                /^ben +failed +\d\/4 +\S+ ago +sidecar-pod.(side-by-side|streaming) +sidecar-test: the main container is running and the sidecar is waiting \((ErrImagePull|ImagePullBack|CrashLoopBack)/m,
            );
            assert.match(run.output, /2 of 3 students passed every check/);
            assert.match(
                run.output,
                new RegExp(`- ben: The image "${BAD_IMAGE}" of container sidecar-container cannot be pulled`),
            );
            assert.match(run.output, new RegExp(`Wrote ${csv.replace(/[.]/g, "\\.")}`));

            const rows: Record<string, string>[] = parseCsv(fs.readFileSync(csv, "utf8"), { columns: true });
            assert.match(rows[1].first_failing_check, /^sidecar-pod\.(side-by-side|streaming)$/);
            assert.deepStrictEqual(
                rows.map((r) => [r.student, r.status, r.first_failing_check]),
                [
                    ["ann", "passed", ""],
                    ["ben", "failed", rows[1].first_failing_check],
                    ["cat", "passed", ""],
                ],
            );
            assert.ok(Number(rows[0].seconds_since_pods_started) > 0, "how long since ann's Pods started");
            // The terminal shortens WHY; the CSV keeps it whole. Between two pulls the kubelet may show the
            // container it killed for the new image as CrashLoopBackOff; the hint still names the image.
            assert.match(
                rows[1].why,
                /the sidecar is waiting \((ErrImagePull|ImagePullBackOff|CrashLoopBackOff)\); both should be running\.$/,
            );
            assert.match(rows[1].hint, new RegExp(`The image "${BAD_IMAGE}"`));

            const doc = JSON.parse(fs.readFileSync(json, "utf8"));
            const validate = schemaValidator("classroom/verify-report.schema.json");
            assert.ok(validate(doc), JSON.stringify(validate.errors));
            assert.deepStrictEqual(doc.summary, { students: 3, passed: 2, failed: 1, errors: 0, noStack: 0 });
            const ben = doc.students[1].report;
            assert.match(ben.target.description, /the student's kubeconfig/, "checked with ben's own rights");
            const sidecar = ben.checks[2].explanation.pods[0].containers.find(
                (c: { name: string }) => c.name === "sidecar-container",
            );
            assert.strictEqual(sidecar.image, BAD_IMAGE);
        });

        after(function () {
            this.timeout(600_000);
            project.classroom("destroy", "--students", students.join(","));
        });
    });
});
