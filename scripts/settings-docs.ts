import * as fs from "fs";
import * as path from "path";
import * as prettier from "prettier";
import { parseDocument } from "yaml";
import { CONFIG_KEYS, declaredDefault } from "../config";
import { Setting, defaultShown } from "../components/settings";
import { LESSONS, LESSON_NAMES } from "../lessons";

/**
 * `npm run docs:settings`: writes what the settings tables (components/*.ts, via config.ts
 * CONFIG_KEYS) say into Pulumi.yaml's `config:` declarations and README.md's configuration table
 * (between the settings-table markers). tests/settingsDocs.test.ts fails when either is stale.
 */

export const BEGIN_MARKER = "<!-- settings-table:begin -->";
export const END_MARKER = "<!-- settings-table:end -->";

const ROOT = path.join(__dirname, "..");
export const README = path.join(ROOT, "README.md");
export const PULUMI_YAML = path.join(ROOT, "Pulumi.yaml");

const settings = (): [string, Setting<unknown>][] => Object.entries(CONFIG_KEYS);

/** The text Pulumi.yaml (and so `pulumi config` users) see for a key; the docs use Markdown, the CLI shows it raw. */
export function declaredDescription(spec: Setting<unknown>): string {
    return spec.defaultText === undefined ? spec.description : `${spec.description} Default: ${spec.defaultText}.`;
}

/** Pulumi.yaml's `config:` block: every key, its type, default and description. */
export function declaredConfig(): Record<string, { type?: string; description: string; default: unknown }> {
    return Object.fromEntries(
        settings().map(([key, spec]) => [
            key,
            {
                // Pulumi.yaml types no objects: a structured key (`--path`) is declared untyped.
                ...(spec.type === "object" ? {} : { type: spec.type }),
                description: declaredDescription(spec),
                default: declaredDefault(spec),
            },
        ]),
    );
}

/** The README's table, one row per key (prettier aligns the columns). */
export function settingsTable(): string {
    const cell = (text: string) => text.replace(/\|/g, "\\|");
    const shownDefault = (spec: Setting<unknown>) => {
        if (spec.defaultText !== undefined) return spec.defaultText;
        return spec.default === "" ? '`""`' : `\`${defaultShown(spec)}\``;
    };
    const rows = settings().map(
        ([key, spec]) => `| \`${key}\` | ${cell(shownDefault(spec))} | ${cell(spec.description)} |`,
    );
    return ["| key | default | meaning |", "| --- | --- | --- |", ...rows].join("\n");
}

/** `text` with the lines between the markers replaced by `block`; throws when a marker is missing. */
export function replaceBetweenMarkers(
    text: string,
    block: string,
    [beginMarker, endMarker] = [BEGIN_MARKER, END_MARKER],
    file = "README.md",
): string {
    const begin = text.indexOf(beginMarker);
    const end = text.indexOf(endMarker);
    if (begin < 0 || end < begin) {
        throw new Error(`${file} needs the lines ${beginMarker} and ${endMarker} around the generated table`);
    }
    return `${text.slice(0, begin + beginMarker.length)}\n\n${block}\n\n${text.slice(end)}`;
}

export const LESSONS_DOC = path.join(ROOT, "docs", "lessons.md");
const LESSON_MARKERS: [string, string] = ["<!-- lesson-settings:begin -->", "<!-- lesson-settings:end -->"];

/** docs/lessons.md's table of every lesson's own settings (`lessonSettings.<lesson>.<key>`), from the lessons' tables. */
export function lessonSettingsTable(): string {
    const cell = (text: string) => text.replace(/\|/g, "\\|");
    const rows = LESSON_NAMES.flatMap((lesson) =>
        Object.entries(LESSONS[lesson].settings as Record<string, Setting<unknown>>).map(
            ([key, spec]) => `| \`${lesson}.${key}\` | \`${cell(defaultShown(spec))}\` | ${cell(spec.description)} |`,
        ),
    );
    return ["| lessonSettings path | default | meaning |", "| --- | --- | --- |", ...rows].join("\n");
}

/** docs/lessons.md as the generator writes it. */
export async function generatedLessonsDoc(current: string): Promise<string> {
    return formatted(
        replaceBetweenMarkers(current, lessonSettingsTable(), LESSON_MARKERS, "docs/lessons.md"),
        LESSONS_DOC,
    );
}

async function formatted(text: string, filepath: string): Promise<string> {
    const options = (await prettier.resolveConfig(filepath)) ?? {};
    return prettier.format(text, { ...options, filepath });
}

/** README.md as the generator writes it, from its current text. */
export async function generatedReadme(current: string): Promise<string> {
    return formatted(replaceBetweenMarkers(current, settingsTable()), README);
}

/** Pulumi.yaml as the generator writes it: its other fields and comments kept, `config:` rewritten. */
export async function generatedPulumiYaml(current: string): Promise<string> {
    const doc = parseDocument(current);
    const config = doc.get("config", true);
    const comment =
        config && typeof config === "object" && "commentBefore" in config ? config.commentBefore : undefined;
    doc.set("config", doc.createNode(declaredConfig()));
    const node = doc.get("config", true);
    if (comment && node && typeof node === "object" && "commentBefore" in node) node.commentBefore = comment;
    return formatted(doc.toString({ lineWidth: 0 }), PULUMI_YAML);
}

async function main(): Promise<void> {
    for (const [file, generate] of [
        [README, generatedReadme],
        [PULUMI_YAML, generatedPulumiYaml],
        [LESSONS_DOC, generatedLessonsDoc],
    ] as const) {
        const current = fs.readFileSync(file, "utf8");
        const next = await generate(current);
        if (next === current) {
            console.log(`${path.relative(process.cwd(), file)}: up to date`);
        } else {
            fs.writeFileSync(file, next);
            console.log(`${path.relative(process.cwd(), file)}: rewritten from the settings tables`);
        }
    }
}

if (require.main === module) {
    main().catch((err: unknown) => {
        console.error(err instanceof Error ? err.message : err);
        process.exit(1);
    });
}
