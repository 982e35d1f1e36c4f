import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as path from "path";
import * as prettier from "prettier";

/**
 * `npm run up` then `npm test` leaves the clone clean: the stack config Pulumi writes (with the
 * salt of the stack's passphrase) is never committed, never checked by Prettier, never staged by
 * `git add -A`.
 */

const REPO = path.join(__dirname, "..");
const STACK_FILES = ["Pulumi.dev.yaml", "Pulumi.alice.yaml"];

describe("stack config stays out of the repository", () => {
    it("commits no Pulumi.<stack>.yaml", () => {
        const tracked = execFileSync("git", ["ls-files", "--", "Pulumi.*.yaml"], { cwd: REPO, encoding: "utf8" });
        assert.strictEqual(tracked.trim(), "", "committed stack config");
    });

    it("git ignores the stack config files Pulumi writes", () => {
        for (const file of STACK_FILES) {
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
