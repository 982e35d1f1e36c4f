import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    BackendDecision,
    BackendError,
    BackendInput,
    PULUMI_CLOUD,
    decideBackend,
    readCurrentLogin,
    shellExports,
} from "../lab/backend";

const REPO = "/home/me/lab";
const LOCAL = "file:///home/me/lab/.lab-state";
const decide = (env: BackendInput["env"], more: Partial<BackendInput> = {}) =>
    decideBackend({ env, repo: REPO, ...more });
const rejects = (env: BackendInput["env"], pattern: RegExp, more: Partial<BackendInput> = {}) =>
    assert.throws(
        () => decide(env, more),
        (err: Error) => err instanceof BackendError && pattern.test(err.message),
    );

describe("lab/backend: where the state lives and which passphrase", () => {
    describe("backend", () => {
        it("defaults to the clone's .lab-state, created before Pulumi runs, and says how to use another", () => {
            const d = decide({});
            assert.strictEqual(d.backend, LOCAL);
            assert.strictEqual(d.source, "local");
            assert.strictEqual(d.set.PULUMI_BACKEND_URL, LOCAL);
            assert.strictEqual(d.localDir, "/home/me/lab/.lab-state");
            assert.match(d.notes.join("\n"), /LAB_BACKEND=login/);
            assert.deepStrictEqual(decide({ LAB_BACKEND: "local" }).backend, LOCAL);
        });

        it("says so when the user is logged in elsewhere but the local backend is used", () => {
            const notes = decide({}, { currentLogin: PULUMI_CLOUD }).notes.join("\n");
            assert.match(notes, /logged in to https:\/\/api\.pulumi\.com: LAB_BACKEND=login uses it instead/);
        });

        it("uses the current pulumi login when LAB_BACKEND=login, and fails with a fix when there is none", () => {
            const d = decide({ LAB_BACKEND: "login" }, { currentLogin: "s3://class-state" });
            assert.strictEqual(d.backend, "s3://class-state");
            assert.strictEqual(d.source, "LAB_BACKEND=login");
            assert.strictEqual(d.set.PULUMI_BACKEND_URL, "s3://class-state");
            assert.strictEqual(d.localDir, undefined);
            rejects(
                { LAB_BACKEND: "login" },
                /not logged in\. Run `pulumi login`.*Example: pulumi login && LAB_BACKEND=login/,
            );
        });

        it("honours PULUMI_BACKEND_URL, and a --backend flag over it", () => {
            assert.strictEqual(decide({ PULUMI_BACKEND_URL: "s3://b" }).backend, "s3://b");
            assert.strictEqual(decide({ PULUMI_BACKEND_URL: "s3://b" }).source, "PULUMI_BACKEND_URL");
            const flagged = decide({ PULUMI_BACKEND_URL: "s3://b", LAB_BACKEND: "login" }, { flag: PULUMI_CLOUD });
            assert.strictEqual(flagged.backend, PULUMI_CLOUD);
            assert.strictEqual(flagged.source, "--backend");
            // An empty PULUMI_BACKEND_URL is unset, as for the Pulumi CLI.
            assert.strictEqual(decide({ PULUMI_BACKEND_URL: "" }).backend, LOCAL);
        });

        it("rejects a backend that is not a URL, naming the setting, the value and an example", () => {
            rejects(
                {},
                /--backend must be a backend URL.*got "\/tmp\/state"\. Example: --backend file:\/\/\/home\/me/,
                {
                    flag: "/tmp/state",
                },
            );
            rejects({ PULUMI_BACKEND_URL: "state" }, /PULUMI_BACKEND_URL must be a backend URL.*got "state"/);
        });

        it("rejects an unknown LAB_BACKEND and one that contradicts PULUMI_BACKEND_URL", () => {
            rejects(
                { LAB_BACKEND: "cloud" },
                /LAB_BACKEND must be "local".*or "login".*got "cloud"\. Example: LAB_BACKEND=login/,
            );
            rejects({ LAB_BACKEND: "login", PULUMI_BACKEND_URL: "s3://b" }, /both choose the backend; unset one/);
        });
    });

    describe("passphrase", () => {
        it("keeps a private passphrase off the committed dev stack, pointing at a stack of one's own", () => {
            const exists = () => true;
            rejects({ PULUMI_CONFIG_PASSPHRASE: "s3cret" }, /Pulumi\.dev\.yaml.*Example: LAB_STACK=mine npm run up$/, {
                stack: "dev",
            });
            rejects({ PULUMI_CONFIG_PASSPHRASE_FILE: "/p" }, /cannot take PULUMI_CONFIG_PASSPHRASE_FILE/, {
                stack: "dev",
                fileExists: exists,
            });
            // The empty passphrase is dev's own; any passphrase is fine on another stack.
            assert.strictEqual(decide({ PULUMI_CONFIG_PASSPHRASE: "" }, { stack: "dev" }).backend, LOCAL);
            assert.strictEqual(decide({ PULUMI_CONFIG_PASSPHRASE: "s3cret" }, { stack: "mine" }).backend, LOCAL);
        });

        it("defaults to an empty passphrase on a self-managed backend only", () => {
            assert.strictEqual(decide({}).set.PULUMI_CONFIG_PASSPHRASE, "");
            assert.strictEqual(decide({ PULUMI_BACKEND_URL: "s3://b" }).set.PULUMI_CONFIG_PASSPHRASE, "");
            // Pulumi Cloud keeps a stack's secrets itself.
            assert.ok(!("PULUMI_CONFIG_PASSPHRASE" in decide({ PULUMI_BACKEND_URL: PULUMI_CLOUD }).set));
        });

        it("keeps a passphrase the user set, empty or not", () => {
            for (const phrase of ["secret", ""]) {
                const d = decide({ PULUMI_CONFIG_PASSPHRASE: phrase });
                assert.ok(!("PULUMI_CONFIG_PASSPHRASE" in d.set), JSON.stringify(phrase));
                assert.deepStrictEqual(d.unset, []);
            }
        });

        it("never sets an empty PULUMI_CONFIG_PASSPHRASE beside a PULUMI_CONFIG_PASSPHRASE_FILE, and removes one", () => {
            const exists = (f: string) => f === "/home/me/.pass";
            const fileOnly = decide({ PULUMI_CONFIG_PASSPHRASE_FILE: "/home/me/.pass" }, { fileExists: exists });
            assert.ok(!("PULUMI_CONFIG_PASSPHRASE" in fileOnly.set));
            assert.deepStrictEqual(fileOnly.unset, []);
            assert.match(fileOnly.notes.join("\n"), /passphrase: from \/home\/me\/\.pass/);

            const both = decide(
                { PULUMI_CONFIG_PASSPHRASE: "", PULUMI_CONFIG_PASSPHRASE_FILE: "/home/me/.pass" },
                { fileExists: exists },
            );
            assert.deepStrictEqual(both.unset, ["PULUMI_CONFIG_PASSPHRASE"]);
            assert.ok(!("PULUMI_CONFIG_PASSPHRASE" in both.set));
        });

        it("rejects a passphrase file that does not exist, with an example", () => {
            rejects(
                { PULUMI_CONFIG_PASSPHRASE_FILE: "/nope" },
                /PULUMI_CONFIG_PASSPHRASE_FILE=\/nope: there is no such file\. Example: /,
                { fileExists: () => false },
            );
        });
    });

    it("writes the decisions as sh that bash evaluates back to the same values", () => {
        const d = decide(
            { PULUMI_CONFIG_PASSPHRASE: "", PULUMI_CONFIG_PASSPHRASE_FILE: "/p" },
            { repo: "/tmp/it's a clone", fileExists: () => true },
        );
        const script = `${shellExports(d)}\nprintf '%s|%s|%s' "$PULUMI_BACKEND_URL" "\${PULUMI_CONFIG_PASSPHRASE-unset}" "$LAB_BACKEND_NOTES"`;
        const run = spawnSync("bash", ["-c", script], {
            env: { PATH: process.env.PATH, PULUMI_CONFIG_PASSPHRASE: "" },
            encoding: "utf8",
        });
        assert.strictEqual(run.status, 0, run.stderr);
        const [url, phrase, notes] = run.stdout.split("|");
        assert.strictEqual(url, "file:///tmp/it's a clone/.lab-state");
        assert.strictEqual(phrase, "unset");
        assert.strictEqual(notes, d.notes.join("\n"));
    });

    it("exports every value literally: an empty one, a ~ bash would expand, quotes and new lines", () => {
        const values = ["", "file://~", "file:///tmp/a:~/b", "a=~", "~/.pulumi-lab", "it's", "two\nlines"];
        const set = Object.fromEntries(values.map((v, i) => [`V${i}`, v]));
        const d: BackendDecision = { backend: "file://~", source: "local", set, unset: [], notes: [] };
        const read = values.map((_, i) => `"$V${i}"`).join(" ");
        const run = spawnSync("bash", ["-c", `${shellExports(d)}\nprintf '%s|' ${read}`], {
            env: { PATH: process.env.PATH, HOME: "/home/me" },
            encoding: "utf8",
        });
        assert.strictEqual(run.status, 0, run.stderr);
        assert.deepStrictEqual(run.stdout.split("|").slice(0, -1), [
            "",
            "file://~",
            "file:///tmp/a:~/b",
            "a=~",
            // A leading ~/ is left for the shell, as in a paste-ready command: Pulumi reads it the same.
            "/home/me/.pulumi-lab",
            "it's",
            "two\nlines",
        ]);
    });

    describe("readCurrentLogin", () => {
        let home: string;
        beforeEach(() => (home = fs.mkdtempSync(path.join(os.tmpdir(), "lab-login-"))));
        afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

        it("reads the current login from PULUMI_HOME's credentials.json", () => {
            const pulumiHome = path.join(home, "ph");
            fs.mkdirSync(pulumiHome);
            fs.writeFileSync(path.join(pulumiHome, "credentials.json"), JSON.stringify({ current: "file://~" }));
            assert.strictEqual(readCurrentLogin({ PULUMI_HOME: pulumiHome }, home), "file://~");
        });

        it("falls back to ~/.pulumi, then to Pulumi Cloud when only PULUMI_ACCESS_TOKEN is set", () => {
            assert.strictEqual(readCurrentLogin({}, home), undefined);
            assert.strictEqual(readCurrentLogin({ PULUMI_ACCESS_TOKEN: "pul-x" }, home), PULUMI_CLOUD);
            fs.mkdirSync(path.join(home, ".pulumi"));
            fs.writeFileSync(path.join(home, ".pulumi", "credentials.json"), '{"current":"https://pulumi.example"}');
            assert.strictEqual(readCurrentLogin({}, home), "https://pulumi.example");
        });
    });

    describe("scripts/lab.sh applies them", () => {
        // A copy of the entry point with a fake `pulumi` that reports the environment it got. No
        // package-lock.json in the copy, so lab.sh never runs npm ci here.
        let root: string;
        before(() => {
            root = fs.mkdtempSync(path.join(os.tmpdir(), "lab-sh-"));
            const backendImports = ["components/kubectlCommands.ts", "components/validation.ts", "host/kubeconfig.ts"];
            for (const file of ["scripts/lab.sh", ".nvmrc", "lab/backend.ts", ...backendImports, "tsconfig.json"]) {
                fs.mkdirSync(path.join(root, path.dirname(file)), { recursive: true });
                fs.copyFileSync(path.join(__dirname, "..", file), path.join(root, file));
            }
            fs.symlinkSync(path.join(__dirname, "..", "node_modules"), path.join(root, "node_modules"));
            fs.mkdirSync(path.join(root, "bin"));
            fs.writeFileSync(
                path.join(root, "bin", "pulumi"),
                [
                    "#!/usr/bin/env bash",
                    'case "$1" in',
                    "version) echo v3.0.0 ;;",
                    "stack) ;;",
                    '*) echo "BACKEND=$PULUMI_BACKEND_URL PASSPHRASE=${PULUMI_CONFIG_PASSPHRASE-unset}" ;;',
                    "esac",
                ].join("\n"),
                { mode: 0o755 },
            );
        });
        after(() => fs.rmSync(root, { recursive: true, force: true }));

        const labSh = (env: Record<string, string>) => {
            const run = spawnSync("bash", [path.join(root, "scripts", "lab.sh"), "preview"], {
                env: { PATH: `${path.join(root, "bin")}${path.delimiter}${process.env.PATH}`, HOME: root, ...env },
                encoding: "utf8",
            });
            return { status: run.status, stdout: run.stdout, stderr: run.stderr };
        };

        it("uses the local backend and an empty passphrase by default, and says so", () => {
            const run = labSh({});
            assert.strictEqual(run.status, 0, run.stderr);
            assert.match(run.stdout, new RegExp(`BACKEND=file://${root}/\\.lab-state PASSPHRASE=$`, "m"));
            assert.ok(fs.existsSync(path.join(root, ".lab-state")));
            assert.match(run.stderr, /backend: file:\/\/.*\.lab-state \(this clone's local state/);
        });

        it("never hands pulumi an empty PULUMI_CONFIG_PASSPHRASE beside a PULUMI_CONFIG_PASSPHRASE_FILE", () => {
            const file = path.join(root, "passphrase");
            fs.writeFileSync(file, "secret\n");
            const run = labSh({ LAB_STACK: "mine", PULUMI_CONFIG_PASSPHRASE: "", PULUMI_CONFIG_PASSPHRASE_FILE: file });
            assert.strictEqual(run.status, 0, run.stderr);
            assert.match(run.stdout, /PASSPHRASE=unset$/m);
        });

        it("stops before pulumi runs on a bad setting, naming it", () => {
            const run = labSh({ LAB_BACKEND: "cloud" });
            assert.strictEqual(run.status, 2);
            assert.match(run.stderr, /error: LAB_BACKEND must be "local"/);
            assert.doesNotMatch(run.stdout, /BACKEND=/);
        });
    });
});
