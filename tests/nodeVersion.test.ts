import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LAB_NODE_MAJOR, parseNvmrc } from "../host/nodeVersion";

const REPO = path.join(__dirname, "..");
const read = (file: string) => fs.readFileSync(path.join(REPO, file), "utf8");

describe("host/nodeVersion: one Node.js version, written in .nvmrc", () => {
    it("parseNvmrc reads a major, and names the file and an example for anything else", () => {
        assert.strictEqual(parseNvmrc("22\n"), 22);
        assert.strictEqual(parseNvmrc("v24"), 24);
        assert.throws(
            () => parseNvmrc("lts/*"),
            /^Error: \.nvmrc must hold a Node.js major version, such as 22; it holds "lts\/\*"\.$/,
        );
        assert.throws(() => parseNvmrc("22.1.0"), /such as 22/);
    });

    it("package.json's engines and every workflow's setup-node agree with it", () => {
        assert.strictEqual(LAB_NODE_MAJOR, 22, "@pulumi/pulumi 3.270 declares node >=22");
        assert.strictEqual(
            (JSON.parse(read("package.json")) as { engines: { node: string } }).engines.node,
            `>=${LAB_NODE_MAJOR}`,
        );
        for (const file of fs.readdirSync(path.join(REPO, ".github", "workflows"))) {
            const text = read(path.join(".github", "workflows", file));
            assert.doesNotMatch(text, /node-version:/, `${file} writes a Node.js version of its own`);
            const setups = text.match(/setup-node@/g)?.length ?? 0;
            assert.strictEqual(text.match(/node-version-file: \.nvmrc/g)?.length ?? 0, setups, file);
        }
    });

    it("README and docs/doctor.md name .nvmrc's major wherever they write the version", () => {
        // Each place a doc writes the number (the README's prerequisites row: tests/doctor/checks.test.ts);
        // a reworded one fails here, naming the file to look at.
        const mentions: [string, RegExp][] = [
            ["README.md", /`eval "\$\(bash scripts\/node\.sh --env\)"` fetches (\d+)\./],
            ["docs/doctor.md", /older than `\.nvmrc`'s major \((\d+)\)/],
        ];
        for (const [file, pattern] of mentions) {
            const found = pattern.exec(read(file));
            assert.ok(found, `${file} no longer matches ${pattern}: pin its Node.js version here again`);
            assert.strictEqual(
                Number(found[1]),
                LAB_NODE_MAJOR,
                `${file}: "${found[0]}" is not .nvmrc's ${LAB_NODE_MAJOR}`,
            );
        }
    });

    describe("scripts/node.sh and scripts/lab.sh, with a fake node on PATH", function () {
        this.timeout(30_000);
        let dir: string;
        beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "node-sh-"))));
        afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

        /** A `node` that only tells its version (and its major, for lab.sh's `node -p`). */
        const fakeNode = (where: string, version: string) => {
            fs.mkdirSync(where, { recursive: true });
            const major = version.slice(1).split(".")[0];
            fs.writeFileSync(
                path.join(where, "node"),
                `#!/bin/sh\ncase "$1" in --version) echo ${version} ;; -p) echo ${major} ;; *) exit 3 ;; esac\n`,
                { mode: 0o755 },
            );
        };
        const run = (script: string, args: string[], pathNode: string) => {
            fakeNode(path.join(dir, "path"), pathNode);
            const result = spawnSync("bash", [path.join(REPO, "scripts", script), ...args], {
                cwd: REPO,
                encoding: "utf8",
                env: {
                    PATH: `${path.join(dir, "path")}:/usr/bin:/bin`,
                    HOME: dir,
                    LAB_NODE_DIR: path.join(dir, "cache"),
                },
            });
            return { status: result.status, stdout: result.stdout, stderr: result.stderr };
        };

        it("an older node on PATH and nothing cached: --check fails, naming the version and .nvmrc", () => {
            const check = run("node.sh", ["--check"], "v20.20.2");
            assert.strictEqual(check.status, 1);
            assert.match(
                check.stderr,
                /Node\.js 22 \(\.nvmrc\) is neither on PATH \(v20\.20\.2\) nor in .*cache \(run: bash scripts\/node\.sh --install\)/,
            );
            assert.strictEqual(run("node.sh", ["--bin"], "v20.20.2").status, 1);
        });

        it("an older node on PATH: --bin and --env name the newest cached release of the major", () => {
            for (const v of ["22.9.0", "22.10.1", "23.0.0", "21.7.3"])
                fakeNode(path.join(dir, "cache", v, "bin"), `v${v}`);
            const bin = run("node.sh", ["--bin"], "v20.20.2");
            assert.strictEqual(bin.status, 0, bin.stderr);
            assert.strictEqual(bin.stdout, `${path.join(dir, "cache", "22.10.1", "bin")}\n`);
            const env = run("node.sh", ["--env"], "v20.20.2");
            assert.strictEqual(env.stdout, `export PATH=${path.join(dir, "cache", "22.10.1", "bin")}:"$PATH"\n`);
            assert.strictEqual(run("node.sh", ["--check"], "v20.20.2").status, 0);
        });

        it("the major or newer on PATH will do: nothing to install, nothing to put on PATH", () => {
            for (const version of ["v22.0.0", "v24.1.0"]) {
                const env = run("node.sh", ["--env"], version);
                assert.deepStrictEqual([env.status, env.stdout], [0, ""], env.stderr);
                assert.strictEqual(run("node.sh", ["--check"], version).status, 0);
            }
            assert.ok(!fs.existsSync(path.join(dir, "cache")), "nothing was fetched");
        });

        it("lab.sh warns below .nvmrc's major, with how to get it, and not at it", () => {
            const old = run("lab.sh", ["preview"], "v20.20.2");
            assert.match(
                old.stderr,
                /warning: Node\.js v20\.20\.2 is older than the lab's Node\.js 22 \(\.nvmrc; .*eval "\$\(bash scripts\/node\.sh --env\)"/,
            );
            assert.doesNotMatch(run("lab.sh", ["preview"], "v22.3.0").stderr, /older than/);
        });
    });
});
