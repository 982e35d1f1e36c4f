#!/usr/bin/env node
// `npm test`: the type check, ESLint, Prettier and the unit tests at once (each is mostly one core
// busy for a few seconds), each step's output printed whole when it ends, the unit tests' last, so
// when every step passes their closing `tests: N passed, N failed` is the last line. Exit 1 when any
// step failed, with a last line naming it.
//
//   npm test                         # all four
//   node scripts/test.js lint        # some of them: typecheck, lint, format:check, test:unit
"use strict";
const { spawn } = require("child_process");
const path = require("path");

const STEPS = ["typecheck", "lint", "format:check", "test:unit"];
const ROOT = path.join(__dirname, "..");
// Each step's command line as package.json has it, run directly: an `npm run` per step would cost
// about a third of a CPU-second each.
const { scripts } = require(path.join(ROOT, "package.json"));

const chosen = process.argv.slice(2);
const unknown = chosen.filter((s) => !STEPS.includes(s));
if (unknown.length > 0) {
    console.error(`test.js: unknown step ${unknown.join(", ")}; the steps are ${STEPS.join(", ")}.`);
    process.exit(2);
}
const steps = chosen.length > 0 ? STEPS.filter((s) => chosen.includes(s)) : STEPS;

const started = Date.now();
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
// As npm run would: the project's tools on PATH; colours as in a terminal, although each step writes to a pipe.
const env = {
    ...process.env,
    PATH: [path.join(ROOT, "node_modules", ".bin"), process.env.PATH].join(path.delimiter),
    ...(process.stdout.isTTY ? { FORCE_COLOR: "1" } : {}),
};

function run(step) {
    return new Promise((resolve) => {
        const begun = Date.now();
        const child = spawn(scripts[step], { cwd: ROOT, env, shell: true });
        let output = "";
        child.stdout.on("data", (chunk) => (output += chunk));
        child.stderr.on("data", (chunk) => (output += chunk));
        child.on("error", (err) =>
            resolve({ step, code: 1, output: `${output}${err.message}\n`, took: seconds(begun) }),
        );
        child.on("close", (code) => resolve({ step, code: code ?? 1, output, took: seconds(begun) }));
    });
}

(async () => {
    const running = steps.map(run);
    const results = [];
    for (const pending of running) {
        const result = await pending;
        results.push(result);
        const verdict = result.code === 0 ? "ok" : `FAILED (exit ${result.code})`;
        if (result.step === "test:unit") {
            console.log(`npm test: the unit tests took ${result.took}; ${seconds(started)} in all`);
        }
        if (result.output.trim() !== "" && (result.code !== 0 || result.step === "test:unit")) {
            process.stdout.write(result.output.endsWith("\n") ? result.output : `${result.output}\n`);
        }
        if (result.step !== "test:unit") console.log(`npm test: ${result.step} ${verdict} in ${result.took}`);
    }
    const failed = results.filter((r) => r.code !== 0).map((r) => r.step);
    if (failed.length > 0) console.log(`npm test: FAILED: ${failed.join(", ")} (${seconds(started)})`);
    process.exit(failed.length === 0 ? 0 : 1);
})();
