import * as assert from "assert";
import {
    dockerStatsMemory,
    vmRssBytes,
    mebibytes,
    median,
    overlaps,
    renderTargets,
    seconds,
    table,
    targetMet,
} from "../../bench/stats";

describe("bench: statistics and report", () => {
    it("takes the median of odd and even sample counts, unsorted", () => {
        assert.strictEqual(median([3, 1, 2]), 2);
        assert.strictEqual(median([4, 1, 3, 2]), 2.5);
        assert.throws(() => median([]), /no samples/);
    });

    it("formats milliseconds as seconds with one decimal", () => {
        assert.strictEqual(seconds(12_345), "12.3");
        assert.strictEqual(seconds(0), "0.0");
    });

    it("tells overlapping steps from sequential ones", () => {
        assert.ok(overlaps([0, 10], [5, 15]));
        assert.ok(overlaps([5, 15], [0, 10]));
        assert.ok(!overlaps([0, 10], [10, 20]), "one ending as the other starts ran one after the other");
    });

    it("judges targets inclusively and says MET or MISSED", () => {
        assert.ok(targetMet({ name: "a", measured: 1.5, limit: 1.5, unit: "x" }));
        assert.ok(!targetMet({ name: "b", measured: 3.2, limit: 3, unit: "s" }));
        assert.strictEqual(
            renderTargets([
                { name: "ratio", measured: 1.234, limit: 1.5, unit: "x" },
                { name: "delay", measured: 3.25, limit: 3, unit: "s" },
                { name: "frame", measured: 4.04, limit: 20, unit: "ms" },
            ]),
            "MET     ratio: 1.23x (target <= 1.5x)\nMISSED  delay: 3.3 s (target <= 3 s)\n" +
                "MET     frame: 4.0 ms (target <= 20 ms)",
        );
    });

    it("renders an aligned table: names left, numbers right", () => {
        assert.strictEqual(
            table([
                ["step", "s"],
                ["up", "12.5"],
                ["destroy", "3.0"],
            ]),
            "step        s\n-------  ----\nup       12.5\ndestroy   3.0",
        );
    });

    it("sums the memory docker stats reports per container, in any unit, and refuses what it cannot read", () => {
        const text = "512MiB / 23.47GiB\n1.5GiB / 23.47GiB\n  2048KiB / 1GiB\n\n";
        assert.strictEqual(dockerStatsMemory(text), 512 * 1024 ** 2 + 1.5 * 1024 ** 3 + 2048 * 1024);
        assert.strictEqual(mebibytes(dockerStatsMemory(text)), "2050");
        assert.strictEqual(dockerStatsMemory(""), 0);
        assert.throws(() => dockerStatsMemory("-- / --"), /not a docker stats memory usage: "-- \/ --"/);
    });

    it("reads a process's resident memory from /proc/<pid>/status, 0 when the line is absent", () => {
        const status = "Name:\tkube-apiserver\nVmPeak:\t 1500000 kB\nVmRSS:\t  412345 kB\nThreads:\t12\n";
        assert.strictEqual(vmRssBytes(status), 412345 * 1024);
        assert.strictEqual(vmRssBytes("Name:\tkthreadd\n"), 0);
    });

    it("renders a memory target in GiB", () => {
        assert.strictEqual(
            renderTargets([{ name: "node", measured: 2.25, limit: 6, unit: "GiB" }]),
            "MET     node: 2.3 GiB (target <= 6 GiB)",
        );
    });
});
