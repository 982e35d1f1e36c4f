import { parseArgs } from "util";
import { checkToolchain } from "../e2e/harness";
import { benchLab } from "./lab";

/**
 * `npm run bench [-- --rounds N]`: the lab's speed on the warm end-to-end
 * toolchain (npm run e2e:toolchain), as ratios to an empty Pulumi program.
 * Exit 1 when a target is missed, so a regression is visible; the numbers
 * are for reports, not for CI.
 */
async function main(): Promise<boolean> {
    const { values } = parseArgs({ options: { rounds: { type: "string", default: "3" } } });
    const rounds = Number(values.rounds);
    if (!Number.isInteger(rounds) || rounds < 1 || rounds > 20) {
        throw new Error(`--rounds must be a whole number from 1 to 20; got "${values.rounds}". Example: --rounds 3`);
    }
    checkToolchain();
    const log = (line: string) => console.log(line);
    log(`bench: the lab vs an empty program, ${rounds} rounds (each: fresh preview, up, no-change up, destroy)`);
    return benchLab(rounds, log);
}

main().then(
    (met) => process.exit(met ? 0 : 1),
    (err: unknown) => {
        console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(2);
    },
);
