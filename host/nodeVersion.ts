import * as fs from "fs";
import * as path from "path";

/**
 * The Node.js major the lab runs on is written once, in .nvmrc (what nvm and actions/setup-node
 * read). package.json's engines, scripts/lab.sh, scripts/node.sh, CI and the doctor read or agree
 * with it (tests/nodeVersion.test.ts).
 */

/** The major in an .nvmrc ("22", "v22", "22\n"); anything else is an error naming the file. */
export function parseNvmrc(text: string, file = ".nvmrc"): number {
    const match = /^\s*v?(\d+)\s*$/.exec(text);
    if (!match) throw new Error(`${file} must hold a Node.js major version, such as 22; it holds "${text.trim()}".`);
    return Number(match[1]);
}

/** The major this clone's .nvmrc names. */
export const LAB_NODE_MAJOR = parseNvmrc(
    fs.readFileSync(path.join(__dirname, "..", ".nvmrc"), "utf8"),
    path.join(__dirname, "..", ".nvmrc"),
);
