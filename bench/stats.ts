/**
 * Arithmetic and formatting for the benchmarks: pure, so the numbers a report
 * shows are unit-tested (tests/bench/stats.test.ts).
 */

export function median(samples: readonly number[]): number {
    if (samples.length === 0) throw new Error("median of no samples");
    const sorted = [...samples].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Seconds with one decimal, from milliseconds. */
export function seconds(ms: number): string {
    return (ms / 1000).toFixed(1);
}

/** Do two [start, end] intervals overlap (two steps ran at the same time)? */
export function overlaps(a: readonly [number, number], b: readonly [number, number]): boolean {
    return a[0] < b[1] && b[0] < a[1];
}

export interface Target {
    name: string;
    /** What was measured, already in the target's unit (a ratio, seconds or milliseconds). */
    measured: number;
    limit: number;
    unit: "x" | "s" | "ms" | "GiB";
}

export function targetMet(target: Target): boolean {
    return target.measured <= target.limit;
}

/** A fixed-width text table; the first row is the header. */
export function table(rows: readonly (readonly string[])[]): string {
    const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => (row[col] ?? "").length)));
    const line = (row: readonly string[]) =>
        row
            .map((cell, col) => (col === 0 ? cell.padEnd(widths[col]) : cell.padStart(widths[col])))
            .join("  ")
            .trimEnd();
    return [line(rows[0]), line(widths.map((w) => "-".repeat(w))), ...rows.slice(1).map(line)].join("\n");
}

export function renderTargets(targets: readonly Target[]): string {
    return targets
        .map((t) => {
            const value = t.unit === "x" ? `${t.measured.toFixed(2)}x` : `${t.measured.toFixed(1)} ${t.unit}`;
            const limit = t.unit === "x" ? `${t.limit}x` : `${t.limit} ${t.unit}`;
            return `${targetMet(t) ? "MET   " : "MISSED"}  ${t.name}: ${value} (target <= ${limit})`;
        })
        .join("\n");
}

const MEMORY_UNITS: Record<string, number> = {
    B: 1,
    KiB: 1024,
    MiB: 1024 ** 2,
    GiB: 1024 ** 3,
    kB: 1000,
    KB: 1000,
    MB: 1000 ** 2,
    GB: 1000 ** 3,
};

/**
 * The memory the containers use together, from `docker stats --no-stream --format "{{.MemUsage}}"`
 * (one "150.3MiB / 23.47GiB" line per container: usage, then the limit). In bytes.
 */
export function dockerStatsMemory(text: string): number {
    let total = 0;
    for (const line of text.split("\n").filter((l) => l.trim() !== "")) {
        const match = /^\s*([\d.]+)\s*([A-Za-z]+)\s*\//.exec(line);
        const unit = match && MEMORY_UNITS[match[2]];
        if (!match || !unit) throw new Error(`not a docker stats memory usage: ${JSON.stringify(line)}`);
        total += Number(match[1]) * unit;
    }
    return total;
}

/** A process's resident memory, from its /proc/<pid>/status (the `VmRSS:  123456 kB` line), in bytes; 0 when absent. */
export function vmRssBytes(status: string): number {
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
    return match ? Number(match[1]) * 1024 : 0;
}

/** MiB with no decimals, from bytes. */
export function mebibytes(bytes: number): string {
    return (bytes / 1024 ** 2).toFixed(0);
}
