import * as fs from "fs";
import * as path from "path";
import { EngineEvent, LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { createClusterArgs, deleteClusterArgs, renderKindConfig } from "../components/kindCli";
import { LabProject, TOOLCHAIN_DIR } from "../e2e/harness";
import { RealKind } from "../e2e/realKind";
import { Target, median, overlaps, renderTargets, seconds, table } from "./stats";

/**
 * The lab's own costs on the real engine and real kind, each beside the same step for an empty
 * Pulumi TypeScript program on the same engine (these machines are noisy, so ratios say more than
 * seconds): a fresh preview, up (the lab's up runs until both Pods are Ready), a no-change up, and
 * destroy. Each round also times `kind create cluster` alone, with the config and node image the
 * lab gives kind, as the floor the lab's up to Ready is measured against.
 */

const STEPS = ["preview (fresh stack)", "up", "up (no change)", "destroy"] as const;
type Step = (typeof STEPS)[number];
type Timings = Record<Step, number>;

const INIT_DELAY_SECONDS = 10;
const CLUSTER_TYPE = "pulumi-nodejs:dynamic/kind:Cluster";
const POD_TYPE = "kubernetes:core/v1:Pod";

async function timed(run: () => Promise<unknown>): Promise<number> {
    const start = Date.now();
    await run();
    return Date.now() - start;
}

/** When each resource's step started and finished, as the engine reported it. */
class StepClock {
    /** When the command started (set by whoever runs it). */
    started = 0;
    private readonly spans = new Map<string, { type: string; span: [number, number] }>();

    readonly onEvent = (event: EngineEvent): void => {
        const now = Date.now();
        const pre = event.resourcePreEvent?.metadata;
        if (pre) this.spans.set(pre.urn, { type: pre.type, span: [now, now] });
        const done = event.resOutputsEvent?.metadata;
        const started = done && this.spans.get(done.urn);
        if (started) started.span[1] = now;
    };

    of(type: string): [number, number][] {
        return [...this.spans.values()].filter((s) => s.type === type).map((s) => s.span);
    }
}

/** Runs the four steps on a fresh stack; `clock` sees the first up's engine events. */
async function round(stack: Stack, clock?: StepClock): Promise<Timings> {
    return {
        "preview (fresh stack)": await timed(() => stack.preview()),
        up: await timed(() => {
            if (clock) clock.started = Date.now();
            return stack.up(clock ? { onEvent: clock.onEvent } : {});
        }),
        "up (no change)": await timed(() => stack.up()),
        destroy: await timed(() => stack.destroy()),
    };
}

/**
 * The two empty programs the lab is measured against. Both are what `pulumi new typescript`
 * generates: an index.ts that only imports @pulumi/pulumi.
 * - "template": as generated, so ts-node type-checks it on every run (Pulumi's default), with the
 *   template's compiler options plus our skipLibCheck (so the SDK's own .d.ts files are not checked);
 * - "same settings": run the way the lab is (tsconfig.pulumi.json: SWC, no type check), where
 *   TypeScript even drops the unused import, so this one never loads @pulumi/pulumi.
 */
type Baseline = "template" | "same settings";
const TEMPLATE_COMPILER_OPTIONS = {
    strict: true,
    outDir: "bin",
    target: "es2020",
    module: "commonjs",
    moduleResolution: "node",
    sourceMap: true,
    experimentalDecorators: true,
    pretty: true,
    noFallthroughCasesInSwitch: true,
    noImplicitReturns: true,
    forceConsistentCasingInFileNames: true,
    skipLibCheck: true,
};
const BASELINES: readonly Baseline[] = ["template", "same settings"];

async function emptyProgramStack(project: LabProject, baseline: Baseline, name: string): Promise<Stack> {
    const workDir = path.join(project.root, baseline === "template" ? "empty-template" : "empty-same-settings");
    if (!fs.existsSync(workDir)) {
        fs.mkdirSync(workDir);
        const runtimeOptions = baseline === "template" ? "" : "  options:\n    tsconfig: tsconfig.pulumi.json\n";
        fs.writeFileSync(
            path.join(workDir, "Pulumi.yaml"),
            `name: ${path.basename(workDir)}\nruntime:\n  name: nodejs\n${runtimeOptions}`,
        );
        fs.writeFileSync(path.join(workDir, "index.ts"), 'import * as pulumi from "@pulumi/pulumi";\n');
        fs.writeFileSync(path.join(workDir, "package.json"), '{ "name": "empty", "main": "index.ts" }\n');
        const labTsconfig = fs.readFileSync(path.join(project.workDir, "tsconfig.json"), "utf8");
        const tsconfig =
            baseline === "template"
                ? { compilerOptions: TEMPLATE_COMPILER_OPTIONS, files: ["index.ts"] }
                : { ...(JSON.parse(labTsconfig) as object), include: ["index.ts"] };
        fs.writeFileSync(path.join(workDir, "tsconfig.json"), JSON.stringify(tsconfig, null, 4));
        if (baseline === "same settings") {
            fs.copyFileSync(
                path.join(project.workDir, "tsconfig.pulumi.json"),
                path.join(workDir, "tsconfig.pulumi.json"),
            );
        }
        fs.symlinkSync(path.join(project.workDir, "node_modules"), path.join(workDir, "node_modules"));
    }
    const pulumiCommand = await PulumiCommand.get({ root: TOOLCHAIN_DIR, skipVersionCheck: true });
    return LocalWorkspace.createStack(
        { stackName: name, workDir },
        { pulumiCommand, envVars: project.env, pulumiHome: project.env.PULUMI_HOME },
    );
}

/** `kind create cluster` alone, as the lab's provider runs it (same config, image and --wait), then deleted. */
function kindCreateAlone(kind: RealKind, name: string): number {
    const config = path.join(kind.root, "kind-config.yaml");
    fs.writeFileSync(config, renderKindConfig());
    const image = kind.env.LAB_KIND_NODE_IMAGE;
    const start = Date.now();
    kind.kind(...createClusterArgs(name, config, image));
    const ms = Date.now() - start;
    kind.kind(...deleteClusterArgs(name));
    return ms;
}

export async function benchLab(rounds: number, log: (line: string) => void): Promise<boolean> {
    const kind = new RealKind("bench-kind-");
    const project = kind.project();
    const lab: Timings[] = [];
    const kindCreateMs: number[] = [];
    const empty: Record<Baseline, Timings[]> = { template: [], "same settings": [] };
    const clusterMs: number[] = [];
    const readyMsAll: number[] = [];
    const overheadMs: number[] = [];
    /** From `up` starting to the cluster step starting: the engine and the program. */
    const beforeClusterMs: number[] = [];
    /** From the cluster step ending to both Pods Ready, less the init delay. */
    const afterClusterMs: number[] = [];
    let podsConcurrent = true;
    try {
        for (let i = 1; i <= rounds; i++) {
            for (const baseline of BASELINES) {
                log(`round ${i}/${rounds}: empty program (${baseline})`);
                empty[baseline].push(await round(await emptyProgramStack(project, baseline, `empty${i}`)));
            }
            log(`round ${i}/${rounds}: kind create cluster alone`);
            kindCreateMs.push(kindCreateAlone(kind, kind.name(`alone${i}`)));
            log(`  ${seconds(kindCreateMs[i - 1])} s`);
            log(`round ${i}/${rounds}: the lab (cluster, namespace, both Pods to Ready)`);
            const clock = new StepClock();
            const timings = await round(await project.stack(kind.name(`bench${i}`)), clock);
            lab.push(timings);
            const [cluster] = clock.of(CLUSTER_TYPE);
            const pods = clock.of(POD_TYPE);
            if (!cluster || pods.length !== 2)
                throw new Error("bench: the engine did not report the cluster and two Pods");
            podsConcurrent &&= overlaps(pods[0], pods[1]);
            const clusterStartMs = cluster[1] - cluster[0];
            // Up to Ready ends when the engine reports the last Pod created, which the provider does only
            // once that Pod is Ready. The rest of `up` (the Automation API then reads the stack's outputs
            // and its history with further CLI runs) is not the lab's time to Ready.
            const readyMs = Math.max(...pods.map((span) => span[1])) - clock.started;
            const overhead = readyMs - clusterStartMs - INIT_DELAY_SECONDS * 1000;
            clusterMs.push(clusterStartMs);
            readyMsAll.push(readyMs);
            overheadMs.push(overhead);
            beforeClusterMs.push(cluster[0] - clock.started);
            afterClusterMs.push(readyMs + clock.started - cluster[1] - INIT_DELAY_SECONDS * 1000);
            log(
                `  lab up ${seconds(timings.up)} s (cluster ${seconds(clusterStartMs)} s, both Pods Ready ` +
                    `after ${seconds(readyMs)} s: ${seconds(overhead)} s beyond cluster + delay), ` +
                    `empty up ${seconds(empty.template[i - 1].up)} s (template), ` +
                    `${seconds(empty["same settings"][i - 1].up)} s (same settings)`,
            );
        }
    } finally {
        project.dispose();
        kind.dispose();
    }

    const med = (runs: Timings[], step: Step) => median(runs.map((r) => r[step]));
    const rows = [["step (median of " + rounds + ")", "lab s", "empty s", "ratio", "empty, same settings s", "ratio"]];
    for (const step of STEPS) {
        const labMs = med(lab, step);
        rows.push([
            step,
            seconds(labMs),
            ...BASELINES.flatMap((b) => [seconds(med(empty[b], step)), (labMs / med(empty[b], step)).toFixed(2)]),
        ]);
    }
    rows.push(["up until both Pods Ready", seconds(median(readyMsAll)), "", "", "", ""]);
    rows.push(["cluster start (inside up)", seconds(median(clusterMs)), "", "", "", ""]);
    rows.push(["kind create cluster alone", seconds(median(kindCreateMs)), "", "", "", ""]);
    log("\n" + table(rows));
    // Where "beyond kind create + delay" goes, so a miss says what to work on.
    log(
        "\n" +
            table([
                ["up to Ready beyond kind create + delay, by part (median of " + rounds + ")", "s"],
                [
                    "up starting to the cluster step (engine, program, dynamic provider)",
                    seconds(median(beforeClusterMs)),
                ],
                [
                    "cluster step beyond kind create alone (kind's own variance included)",
                    seconds(median(clusterMs) - median(kindCreateMs)),
                ],
                ["cluster step to both Pods Ready, less the init delay", seconds(median(afterClusterMs))],
            ]),
    );
    const targets: Target[] = [
        {
            name: "fresh preview vs the empty template program",
            measured: med(lab, "preview (fresh stack)") / med(empty.template, "preview (fresh stack)"),
            limit: 1.1,
            unit: "x",
        },
        {
            name: "no-change up vs the empty template program",
            measured: med(lab, "up (no change)") / med(empty.template, "up (no change)"),
            limit: 1.1,
            unit: "x",
        },
        {
            name: `up to Ready beyond kind create cluster alone + ${INIT_DELAY_SECONDS} s init delay`,
            measured: (median(readyMsAll) - median(kindCreateMs)) / 1000 - INIT_DELAY_SECONDS,
            limit: 3,
            unit: "s",
        },
        {
            name: `up to Ready beyond the cluster's own start inside up + ${INIT_DELAY_SECONDS} s init delay`,
            measured: median(overheadMs) / 1000,
            limit: 3,
            unit: "s",
        },
    ];
    log("\n" + renderTargets(targets));
    log(
        `${podsConcurrent ? "MET   " : "MISSED"}  both Pods deployed concurrently (their create steps overlapped in every round)`,
    );
    return podsConcurrent && targets.every((t) => t.measured <= t.limit);
}
