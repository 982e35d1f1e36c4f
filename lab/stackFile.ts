import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { ConfigName, PROJECT, RawConfig } from "../config";

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

/**
 * The project's keys of a stack's config file (`Pulumi.<stack>.yaml`'s `config:`), as the program
 * reads them: text, structured values (lessonSettings) as JSON; a secret stays out.
 */
export function rawStackConfig(config: Record<string, unknown>): RawConfig {
    const raw: RawConfig = {};
    for (const [key, value] of Object.entries(config)) {
        if (!key.startsWith(`${PROJECT}:`)) continue;
        const name = key.slice(PROJECT.length + 1) as ConfigName;
        if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
            raw[name] = String(value);
        } else if (value !== null && typeof value === "object" && !("secure" in value)) {
            raw[name] = JSON.stringify(value);
        }
    }
    return raw;
}
