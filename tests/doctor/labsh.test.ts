import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/**
 * `npm run up` (scripts/lab.sh up) runs the doctor before it creates anything: with Docker not
 * answering, it stops before its first stack command. Fake pulumi, kind and docker on PATH.
 */
describe("npm run up: the doctor runs first", function () {
    this.timeout(60_000);
    let dir: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "labsh-doctor-"));
        const bin = path.join(dir, "bin");
        fs.mkdirSync(bin);
        const script = (name: string, body: string) =>
            fs.writeFileSync(path.join(bin, name), `#!/bin/sh\necho "${name} $*" >> "${dir}/calls"\n${body}\n`, {
                mode: 0o755,
            });
        script("pulumi", '[ "$1" = version ] && echo v3.274.0; exit 0');
        script("kind", '[ "$1" = version ] && echo "kind v0.29.0 go1.24.2 linux/amd64"; exit 0');
        script("docker", 'echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock." >&2; exit 1');
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("stops with the doctor's findings, before selecting or creating the stack", () => {
        const repo = path.join(__dirname, "..", "..");
        const run = spawnSync("bash", [path.join(repo, "scripts", "lab.sh"), "up"], {
            encoding: "utf8",
            env: {
                ...process.env,
                PATH: [path.join(dir, "bin"), path.dirname(process.execPath), "/usr/bin", "/bin"].join(path.delimiter),
                LAB_STACK: "doctor-test",
                PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}`,
            },
        });
        const output = run.stdout + run.stderr;
        assert.strictEqual(run.status, 1, output);
        assert.match(output, /FAIL {2}Docker is installed but the daemon does not answer/);
        assert.match(output, /error: the host is not ready for the lab \(see above\); npm run doctor checks again\./);
        const calls = fs.readFileSync(path.join(dir, "calls"), "utf8").split("\n").filter(Boolean);
        assert.ok(calls.length > 0, "the fakes ran");
        assert.deepStrictEqual(
            calls.filter((c) => c.startsWith("pulumi ")),
            calls.filter((c) => c === "pulumi version"),
            `pulumi was only asked its version: ${calls.join("; ")}`,
        );
        assert.ok(!calls.some((c) => c.startsWith("kind create")), calls.join("; "));
    });
});
