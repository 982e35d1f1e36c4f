import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { UsageError } from "../../classroom/args";
import { writeKubeconfig } from "../../classroom/cli";

describe("classroom commands", () => {
    describe("kubeconfig", () => {
        let dir: string;
        beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "classroom-kubeconfig-"))));
        afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

        const stacksWith = (outputs: Record<string, { value: unknown; secret: boolean }>) => ({
            outputs: async () => outputs,
        });

        it("writes the student's kubeconfig output to a file only its owner can read", async () => {
            const file = path.join(dir, "alice.kubeconfig");
            fs.writeFileSync(file, "old", { mode: 0o644 });
            const kubeconfig = "apiVersion: v1\nkind: Config\n";
            const result = await writeKubeconfig(
                stacksWith({ studentKubeconfig: { value: kubeconfig, secret: true } }),
                "alice",
                file,
            );
            assert.strictEqual(result.code, 0, result.message);
            assert.strictEqual(fs.readFileSync(file, "utf8"), kubeconfig);
            assert.strictEqual(fs.statSync(file).mode & 0o777, 0o600);
        });

        it("fails, saying how to get one, when the stack has no studentKubeconfig", async () => {
            const file = path.join(dir, "bob.kubeconfig");
            const result = await writeKubeconfig(
                stacksWith({ namespace: { value: "lab-bob", secret: false } }),
                "bob",
                file,
            );
            assert.strictEqual(result.code, 1);
            assert.match(result.message, /--topology shared/);
            assert.ok(!fs.existsSync(file));
        });

        it("fails with the first line of the error when the stack cannot be read", async () => {
            const failing = { outputs: async () => Promise.reject(new Error("no stack named 'carol' found\nmore")) };
            const result = await writeKubeconfig(failing, "carol", path.join(dir, "c"));
            assert.deepStrictEqual(result, {
                code: 1,
                message: `error: cannot read the outputs of stack "carol": no stack named 'carol' found`,
            });
        });

        it("checks the student name first", async () => {
            await assert.rejects(() => writeKubeconfig(stacksWith({}), "Carol", undefined), UsageError);
        });
    });
});
