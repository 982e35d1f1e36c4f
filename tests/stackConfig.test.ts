import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import * as prettier from "prettier";

/**
 * `npm run up` then `npm test` leaves the clone clean. The dev stack's file is committed with the
 * salt of the empty passphrase, so Pulumi never rewrites it on `up`; every other stack's file
 * (with the salt of its own passphrase) is never committed, never checked by Prettier, never
 * staged by `git add -A`.
 */

const REPO = path.join(__dirname, "..");
const STACK_FILES = ["Pulumi.dev.yaml", "Pulumi.alice.yaml"];

describe("stack config in the repository", () => {
    it("commits only Pulumi.dev.yaml, with a salt and no secret", () => {
        const tracked = execFileSync("git", ["ls-files", "--", "Pulumi.*.yaml"], { cwd: REPO, encoding: "utf8" });
        assert.strictEqual(tracked.trim(), "Pulumi.dev.yaml", "committed stack config");
        const dev = parse(fs.readFileSync(path.join(REPO, "Pulumi.dev.yaml"), "utf8")) as Record<string, unknown>;
        assert.match(String(dev.encryptionsalt), /^v1:[A-Za-z0-9+/=]+:v1:/, "a salt, so Pulumi adds none");
        assert.doesNotMatch(JSON.stringify(dev), /secure/, "no encrypted value committed");
    });

    it("git ignores the stack config files Pulumi writes for other stacks", () => {
        assert.strictEqual(
            spawnSync("git", ["check-ignore", "--no-index", "-q", "Pulumi.dev.yaml"], { cwd: REPO }).status,
            1,
        );
        for (const file of STACK_FILES.slice(1)) {
            const check = spawnSync("git", ["check-ignore", "--no-index", "-q", file], { cwd: REPO });
            assert.strictEqual(check.status, 0, `${file} is not ignored by git`);
        }
        // The project file is Pulumi's too, but ours: it must stay tracked.
        assert.strictEqual(
            spawnSync("git", ["check-ignore", "--no-index", "-q", "Pulumi.yaml"], { cwd: REPO }).status,
            1,
        );
    });

    it("Prettier does not check them (it would fail on Pulumi's two-space indent)", async () => {
        // The ignore files `prettier --check .` reads by default.
        const ignorePath = [path.join(REPO, ".gitignore"), path.join(REPO, ".prettierignore")];
        for (const file of STACK_FILES) {
            const info = await prettier.getFileInfo(path.join(REPO, file), { ignorePath });
            assert.strictEqual(info.ignored, true, `prettier checks ${file}`);
        }
        const project = await prettier.getFileInfo(path.join(REPO, "Pulumi.yaml"), { ignorePath });
        assert.strictEqual(project.ignored, false);
    });
});
