import * as assert from "assert";
import { KIND_INOTIFY, MEMORY_PER_CLUSTER_MB, kindMemoryFit, lowInotifyLimits, readHostFacts } from "../host/capacity";

const GB = 1024 ** 3;

describe("host/capacity: what kind clusters ask of this host", () => {
    it("kindMemoryFit: fits, short of free memory now, past the host's share for kind, or past all it has", () => {
        const host = { totalMemoryBytes: 16 * GB, availableMemoryBytes: 8 * GB };
        // 16 GB: three quarters for kind is 12288 MB, room for 18 clusters of 650 MB.
        assert.deepStrictEqual(kindMemoryFit(1, host), {
            neededMb: MEMORY_PER_CLUSTER_MB,
            totalMb: 16384,
            availableMb: 8192,
            room: 18,
            verdict: "fits",
        });
        assert.strictEqual(kindMemoryFit(13, host).verdict, "short-now"); // 8450 MB > 8192 free
        assert.strictEqual(kindMemoryFit(18, { totalMemoryBytes: 16 * GB }).verdict, "fits");
        assert.strictEqual(kindMemoryFit(19, host).verdict, "tight"); // 12350 MB > 12288
        assert.strictEqual(kindMemoryFit(26, host).verdict, "too-small"); // 16900 MB > 16384
        assert.strictEqual(kindMemoryFit(0, host).verdict, "fits");
    });

    it("lowInotifyLimits names each limit below kind's advice, and nothing when both suffice", () => {
        assert.deepStrictEqual(lowInotifyLimits({ maxUserWatches: 8192, maxUserInstances: 128 }), [
            "fs.inotify.max_user_watches=8192 (kind advises 524288)",
            "fs.inotify.max_user_instances=128 (kind advises 512)",
        ]);
        assert.deepStrictEqual(lowInotifyLimits(KIND_INOTIFY), []);
    });

    it("readHostFacts reads this host's memory (and, on Linux, its inotify limits)", () => {
        const facts = readHostFacts();
        assert.ok(facts.totalMemoryBytes > 0);
        assert.ok(facts.availableMemoryBytes > 0 && facts.availableMemoryBytes <= facts.totalMemoryBytes);
        if (process.platform === "linux") assert.ok((facts.maxUserWatches ?? 0) > 0, "max_user_watches is readable");
    });
});
