import { parseArgs } from "util";
import { checkToolchain } from "../e2e/harness";
import { benchClassroom } from "./classroom";
import { benchLab } from "./lab";
import { benchMemory } from "./memory";
import { benchTimeline } from "./timeline";

const USAGE = `usage: npm run bench [-- lab|memory|classroom|timeline|all] [--rounds N] [--sizes 1,10,30]
                 [--parallel N] [--clusters N]

  lab        on real kind: kind create cluster alone, and the lab's fresh preview, up to Ready,
             no-change up and destroy beside an empty program's, medians of --rounds (default 3)
  memory     peak memory (docker stats) of two labs, two kind clusters, brought up at once
  classroom  classroom up and verify in the shared topology for each class size in --sizes
             (default 1,10,30; --parallel N at a time, default 10): time to Ready and verified,
             node and API server memory; then one kind cluster per student, as many as this
             host holds by the doctor's rule, at most --clusters (default 5; 0 skips)
  timeline   timeline --once on a lab with every lesson, one frame's render, and classroom dashboard
             for 10 students (shared topology), medians of --rounds
  all        all four (the default)
Needs a running Docker, kind, and the warm end-to-end toolchain (npm run e2e:toolchain).
Exit 1 when a target is missed.`;

/**
 * `npm run bench`: the lab's speed on the warm end-to-end toolchain. The
 * numbers are for reports, not for CI: these machines are noisy.
 */
async function main(): Promise<boolean> {
    const { values, positionals } = parseArgs({
        allowPositionals: true,
        options: {
            rounds: { type: "string", default: "3" },
            sizes: { type: "string", default: "1,10,30" },
            parallel: { type: "string", default: "10" },
            clusters: { type: "string", default: "5" },
            help: { type: "boolean", short: "h" },
        },
    });
    if (values.help) {
        console.log(USAGE);
        return true;
    }
    const which = positionals[0] ?? "all";
    if (!["lab", "memory", "classroom", "timeline", "all"].includes(which) || positionals.length > 1) {
        throw new Error(
            `unknown benchmark "${positionals.join(" ")}"; one of lab, memory, classroom, timeline, all. Example: npm run bench -- lab`,
        );
    }
    const rounds = Number(values.rounds);
    if (!Number.isInteger(rounds) || rounds < 1 || rounds > 20) {
        throw new Error(`--rounds must be a whole number from 1 to 20; got "${values.rounds}". Example: --rounds 3`);
    }
    const sizes = values.sizes.split(",").map(Number);
    if (sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 30)) {
        throw new Error(`--sizes must list class sizes from 1 to 30; got "${values.sizes}". Example: --sizes 1,5,10`);
    }
    const parallel = Number(values.parallel);
    if (!Number.isInteger(parallel) || parallel < 1 || parallel > 64) {
        throw new Error(
            `--parallel must be a whole number from 1 to 64; got "${values.parallel}". Example: --parallel 10`,
        );
    }
    const maxClusters = Number(values.clusters);
    if (!Number.isInteger(maxClusters) || maxClusters < 0 || maxClusters > 30) {
        throw new Error(
            `--clusters must be a whole number from 0 to 30; got "${values.clusters}". Example: --clusters 5`,
        );
    }
    checkToolchain();
    const log = (line: string) => console.log(line);
    let met = true;
    if (which === "lab" || which === "all") {
        log(`bench lab: the lab vs an empty program, ${rounds} rounds (fresh preview, up, no-change up, destroy)`);
        met = (await benchLab(rounds, log)) && met;
    }
    if (which === "memory" || which === "all") {
        log("\nbench memory: two labs at once, each with its own kind cluster");
        await benchMemory(30, log);
    }
    if (which === "classroom" || which === "all") {
        log(`\nbench classroom: shared topology, classes of ${sizes.join(", ")}; then a cluster per student`);
        met = (await benchClassroom({ sizes, parallel, maxClusters }, log)) && met;
    }
    if (which === "timeline" || which === "all") {
        log(`\nbench timeline: timeline --once, a frame, classroom dashboard; ${rounds} rounds`);
        met = (await benchTimeline(rounds, log)) && met;
    }
    return met;
}

main().then(
    (met) => process.exit(met ? 0 : 1),
    (err: unknown) => {
        console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
        console.error(USAGE);
        process.exit(2);
    },
);
