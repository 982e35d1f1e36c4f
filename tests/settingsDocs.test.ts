import * as assert from "assert";
import * as fs from "fs";
import { parse } from "yaml";
import { CONFIG_KEYS } from "../config";
import {
    BEGIN_MARKER,
    END_MARKER,
    PULUMI_YAML,
    README,
    declaredConfig,
    LESSONS_DOC,
    generatedLessonsDoc,
    generatedPulumiYaml,
    generatedReadme,
    replaceBetweenMarkers,
    settingsTable,
} from "../scripts/settings-docs";

describe("settings docs (npm run docs:settings)", () => {
    it("README.md's settings table is current: run npm run docs:settings", async () => {
        const current = fs.readFileSync(README, "utf8");
        assert.ok(current.includes(BEGIN_MARKER) && current.includes(END_MARKER), "README has the markers");
        assert.ok((await generatedReadme(current)) === current, "README.md is stale: run npm run docs:settings");
    });

    it("Pulumi.yaml's config declarations are current: run npm run docs:settings", async () => {
        const current = fs.readFileSync(PULUMI_YAML, "utf8");
        assert.deepStrictEqual(parse(current).config, declaredConfig());
        assert.ok((await generatedPulumiYaml(current)) === current, "Pulumi.yaml is stale: run npm run docs:settings");
    });

    it("docs/lessons.md's table of lesson settings is current, one row per setting of every lesson", async () => {
        const current = fs.readFileSync(LESSONS_DOC, "utf8");
        assert.ok(
            (await generatedLessonsDoc(current)) === current,
            "docs/lessons.md is stale: run npm run docs:settings",
        );
        assert.match(current, /\| `failing-init\.exitCode` +\| `1` +\|/);
        assert.notStrictEqual(await generatedLessonsDoc(current.replace("failing-init.exitCode", "x")), current);
    });

    it("would notice a stale table or a stale declaration", async () => {
        const readme = fs.readFileSync(README, "utf8").replace("| `logPath`", "| `logFile`");
        assert.notStrictEqual(await generatedReadme(readme), readme);
        const yaml = fs.readFileSync(PULUMI_YAML, "utf8").replace("default: init-test", "default: init");
        assert.notStrictEqual(await generatedPulumiYaml(yaml), yaml);
    });

    it("declares every key with its type and default, describing derived defaults", () => {
        const declared = declaredConfig();
        assert.deepStrictEqual(Object.keys(declared), Object.keys(CONFIG_KEYS));
        assert.deepStrictEqual(declared.workerNodes, {
            type: "integer",
            description: CONFIG_KEYS.workerNodes.description,
            default: 0,
        });
        assert.strictEqual(declared.namespace.default, "");
        assert.match(declared.namespace.description, /Default: `lab-<stack>`\.$/);
    });

    it("writes one table row per key, in the tables' order", () => {
        const rows = settingsTable()
            .split("\n")
            .slice(2)
            .map((row) => /^\| `(\w+)` \|/.exec(row)?.[1]);
        assert.deepStrictEqual(rows, Object.keys(CONFIG_KEYS));
    });

    it("replaces only what lies between the markers, and needs both", () => {
        const text = `intro\n${BEGIN_MARKER}\nold\n${END_MARKER}\noutro\n`;
        assert.strictEqual(
            replaceBetweenMarkers(text, "new"),
            `intro\n${BEGIN_MARKER}\n\nnew\n\n${END_MARKER}\noutro\n`,
        );
        assert.throws(
            () => replaceBetweenMarkers("no markers", "new"),
            /needs the lines <!-- settings-table:begin -->/,
        );
    });
});
