import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";

const REPO = path.join(__dirname, "..");

/**
 * The `config:` of a stack's settings file, Pulumi.<stack>.yaml (in $LAB_PROJECT_DIR, else this
 * clone), or {} when the stack has no file yet or it cannot be read: what the doctor and the image
 * step of `npm run up` know of a stack before Pulumi runs.
 */
export function stackConfig(stack: string): Record<string, unknown> {
    const file = path.join(process.env.LAB_PROJECT_DIR ?? REPO, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) return {};
    try {
        const doc = parseYaml(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
        return doc?.config ?? {};
    } catch {
        return {};
    }
}
