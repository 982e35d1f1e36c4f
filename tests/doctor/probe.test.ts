import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { stateOwnsCluster } from "../../doctor/checks";
import { readFileBackendState, runCommand } from "../../doctor/probe";

describe("doctor: probes", () => {
    let dir: string;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "doctor-probe-"));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const stacksDir = () => path.join(dir, ".pulumi", "stacks", "init-sidecar-lab");
    const checkpoint = {
        checkpoint: {
            latest: {
                resources: [{ type: "pulumi-nodejs:dynamic/kind:Cluster", outputs: { clusterName: "lab-dev" } }],
            },
        },
    };

    it("reads a stack's state on a file backend, plain or gzipped", () => {
        fs.mkdirSync(stacksDir(), { recursive: true });
        fs.writeFileSync(path.join(stacksDir(), "dev.json"), JSON.stringify(checkpoint));
        fs.writeFileSync(path.join(stacksDir(), "alice.json.gz"), zlib.gzipSync(JSON.stringify(checkpoint)));
        assert.ok(stateOwnsCluster(readFileBackendState(`file://${dir}`, "dev"), "lab-dev"));
        assert.ok(stateOwnsCluster(readFileBackendState(`file://${dir}`, "alice"), "lab-dev"));
    });

    it("a stack with no state owns nothing; another backend cannot be read cheaply", () => {
        assert.deepStrictEqual(readFileBackendState(`file://${dir}`, "nobody"), {});
        assert.strictEqual(readFileBackendState(`file://${path.join(dir, "missing")}`, "dev"), undefined);
        assert.strictEqual(readFileBackendState("s3://bucket", "dev"), undefined);
    });

    it("reads a ~ backend under the home directory, with or without the stack's state", () => {
        fs.mkdirSync(stacksDir(), { recursive: true });
        fs.writeFileSync(path.join(stacksDir(), "dev.json"), JSON.stringify(checkpoint));
        const home = process.env.HOME;
        process.env.HOME = path.dirname(dir);
        try {
            const url = `file://~/${path.basename(dir)}`;
            assert.ok(stateOwnsCluster(readFileBackendState(url, "dev"), "lab-dev"));
            assert.deepStrictEqual(readFileBackendState(url, "nobody"), {});
        } finally {
            process.env.HOME = home;
        }
    });

    it("runs a command, telling a missing one from a failing one", () => {
        assert.strictEqual(runCommand("no-such-command-for-doctor", []), undefined);
        assert.deepStrictEqual(runCommand(process.execPath, ["-e", "console.log('v1.2.3')"]), {
            ok: true,
            output: "v1.2.3\n",
        });
        const failing = runCommand(process.execPath, ["-e", "console.error('broken'); process.exit(3)"]);
        assert.deepStrictEqual(failing, { ok: false, output: "broken\n" });
    });
});
