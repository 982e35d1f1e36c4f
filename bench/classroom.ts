import { RealKind } from "../e2e/realKind";
import { seconds, table, renderTargets } from "./stats";

/**
 * `classroom up` in the shared topology for classes of growing size on one
 * real kind cluster, each class from nothing to every student's Pods Ready, then
 * destroyed. Parallelism equals the class size, so the per-student cost shows
 * what running the students side by side saves over a serial loop.
 */
export async function benchClassroom(sizes: number[], log: (line: string) => void): Promise<boolean> {
    const kind = new RealKind("bench-class-");
    log("creating a kind cluster for the class to share ...");
    const wall = new Map<number, number>();
    const project = kind.project();
    try {
        const node = kind.createCluster(kind.name("class"));
        for (const size of sizes) {
            const target = ["--count", String(size), "--topology", "shared"];
            const cluster = ["--kubeconfig", node.kubeconfig, "--context", node.context];
            log(`classroom up, ${size} students (--parallel ${size}) ...`);
            const start = Date.now();
            const up = project.classroom("up", ...target, ...cluster, "--parallel", String(size));
            wall.set(size, Date.now() - start);
            if (up.status !== 0) throw new Error(`classroom up for ${size} students failed:\n${up.output}`);
            log(`  ${seconds(wall.get(size)!)} s`);
            const down = project.classroom("destroy", "--count", String(size), "--parallel", String(size));
            if (down.status !== 0) throw new Error(`classroom destroy for ${size} students failed:\n${down.output}`);
        }
    } finally {
        project.dispose();
        kind.dispose();
    }
    const one = wall.get(sizes[0])!;
    const rows = [["students", "classroom up s", "per student s", `vs ${sizes[0]} student(s)`]];
    for (const size of sizes) {
        const ms = wall.get(size)!;
        rows.push([String(size), seconds(ms), seconds(ms / size), `${(ms / one).toFixed(2)}x`]);
    }
    log("\n" + table(rows));
    const largest = sizes[sizes.length - 1];
    const targets = [
        {
            name: `${largest} students vs ${sizes[0]}`,
            measured: wall.get(largest)! / one,
            limit: 4,
            unit: "x" as const,
        },
    ];
    log("\n" + renderTargets(targets));
    return targets.every((t) => t.measured <= t.limit);
}
