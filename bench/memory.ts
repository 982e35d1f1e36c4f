import { spawnSync } from "child_process";
import { KIND_CLUSTER_LABEL, RealKind } from "../e2e/realKind";
import { stackScopedName } from "../config";
import { dockerStatsMemory, mebibytes, seconds } from "./stats";

/**
 * Peak memory of two labs at once: two kind-mode stacks brought up together (two real clusters),
 * their node containers' memory summed from `docker stats` every few seconds, from the first
 * `up` until both Pods of both stacks are Ready and for `holdSeconds` after (the steady state).
 */
export async function benchMemory(holdSeconds: number, log: (line: string) => void): Promise<void> {
    const kind = new RealKind("bench-mem-");
    const project = kind.project();
    const names = [kind.name("mema"), kind.name("memb")];
    let peak = 0;
    let last = 0;
    let sampling = true;
    const sample = () => {
        const ids = names.flatMap((n) => [...kind.nodes(stackScopedName(n)).values()]);
        if (ids.length === 0) return;
        const stats = spawnSync("docker", ["stats", "--no-stream", "--format", "{{.MemUsage}}", ...ids], {
            encoding: "utf8",
        });
        // A node being created or deleted between the listing and the stats: skip that sample.
        if (stats.status !== 0) return;
        last = dockerStatsMemory(stats.stdout);
        peak = Math.max(peak, last);
    };
    const sampler = (async () => {
        while (sampling) {
            sample();
            await new Promise((resolve) => setTimeout(resolve, 2000));
        }
    })();
    const start = Date.now();
    try {
        log(`two stacks up at once (${names.join(", ")}), sampling docker stats of label ${KIND_CLUSTER_LABEL} ...`);
        const stacks = await Promise.all(names.map((n) => project.stack(n)));
        await Promise.all(stacks.map((s) => s.up()));
        log(`  both labs Ready after ${seconds(Date.now() - start)} s; holding ${holdSeconds} s`);
        await new Promise((resolve) => setTimeout(resolve, holdSeconds * 1000));
        sampling = false;
        await sampler;
        log(`  steady state, two clusters: ${mebibytes(last)} MiB`);
        log(`  peak, two clusters:         ${mebibytes(peak)} MiB`);
        await Promise.all(stacks.map((s) => s.destroy()));
    } finally {
        sampling = false;
        await sampler;
        project.dispose();
        kind.dispose();
    }
}
