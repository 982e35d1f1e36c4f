import * as assert from "assert";
import type { EngineEvent, OpType } from "@pulumi/pulumi/automation";
import {
    LineSplitter,
    eventLines,
    failureReason,
    formatChanges,
    formatDuration,
    hasChanges,
    stripAnsi,
} from "../../classroom/progress";

const POD_URN = "urn:pulumi:alice::init-sidecar-lab::initsidecarlab:pods:InitDemoPod$kubernetes:core/v1:Pod::init-test";
const STACK_URN = "urn:pulumi:alice::init-sidecar-lab::pulumi:pulumi:Stack::init-sidecar-lab-alice";

function step(kind: "resourcePreEvent" | "resOutputsEvent", op: OpType, type: string, urn: string, custom = true) {
    // The event log leaves `custom` out when false, as the engine writes it.
    const state = {
        type,
        urn,
        id: "",
        parent: "",
        inputs: {},
        outputs: {},
        provider: "",
        ...(custom ? { custom } : {}),
    };
    return {
        sequence: 1,
        timestamp: 0,
        [kind]: { metadata: { op, urn, type, provider: "", new: state } },
    } as EngineEvent;
}

function diagnostic(severity: string, message: string, urn?: string): EngineEvent {
    return { sequence: 1, timestamp: 0, diagnosticEvent: { severity, message, color: "never", urn } } as EngineEvent;
}

describe("classroom progress", () => {
    describe("engine events as lines", () => {
        it("says what happens to each real resource, before and after", () => {
            assert.deepStrictEqual(
                eventLines(step("resourcePreEvent", "create", "kubernetes:core/v1:Pod", POD_URN), false),
                ["creating kubernetes:core/v1:Pod init-test"],
            );
            assert.deepStrictEqual(
                eventLines(step("resOutputsEvent", "create", "kubernetes:core/v1:Pod", POD_URN), false),
                ["created kubernetes:core/v1:Pod init-test"],
            );
        });

        it("in a preview, says what would happen, once", () => {
            const pod = (kind: "resourcePreEvent" | "resOutputsEvent") =>
                eventLines(step(kind, "replace", "kubernetes:core/v1:Pod", POD_URN), true);
            assert.deepStrictEqual(pod("resourcePreEvent"), ["would replace kubernetes:core/v1:Pod init-test"]);
            assert.deepStrictEqual(pod("resOutputsEvent"), []);
        });

        it("leaves out no-op steps, the stack, providers and components", () => {
            const quiet = [
                step("resourcePreEvent", "same", "kubernetes:core/v1:Pod", POD_URN),
                step("resourcePreEvent", "refresh", "kubernetes:core/v1:Pod", POD_URN),
                step("resourcePreEvent", "create", "pulumi:pulumi:Stack", STACK_URN, false),
                step("resourcePreEvent", "create", "pulumi:providers:kubernetes", POD_URN),
                step("resourcePreEvent", "create", "initsidecarlab:pods:InitDemoPod", POD_URN, false),
            ];
            for (const event of quiet) assert.deepStrictEqual(eventLines(event, false), [], JSON.stringify(event));
        });

        it("shows errors and warnings with the resource, continuation lines indented, and drops debug messages", () => {
            const text = "\u001b[31mcould not create\u001b[0m\nkind said:\nno Docker\n";
            assert.deepStrictEqual(eventLines(diagnostic("error", text, POD_URN), false), [
                "error: init-test: could not create",
                "  kind said:",
                "  no Docker",
            ]);
            assert.deepStrictEqual(eventLines(diagnostic("warning", "slow", STACK_URN), false), ["warning: slow"]);
            assert.deepStrictEqual(eventLines(diagnostic("debug", "Registering resource: t=..."), false), []);
        });
    });

    it("cuts raw output into whole lines, whatever the chunks", () => {
        const lines: string[] = [];
        const splitter = new LineSplitter((l) => lines.push(l));
        splitter.push("Updating (al");
        splitter.push("ice)\r\n\u001b[32m+\u001b[0m pod\nlast");
        assert.deepStrictEqual(lines, ["Updating (alice)", "+ pod"]);
        splitter.flush();
        assert.deepStrictEqual(lines, ["Updating (alice)", "+ pod", "last"]);
    });

    it("strips colours and Pulumi's colour markup", () => {
        assert.strictEqual(stripAnsi("<{%fg 1%}>error<{%reset%}>: \u001b[1mx\u001b[0m"), "error: x");
    });

    it("summarizes change counts", () => {
        assert.strictEqual(formatChanges({ create: 6 }), "+6");
        assert.strictEqual(formatChanges({ same: 3, update: 1, replace: 2, delete: 1 }), "~1 +-2 -1");
        assert.strictEqual(formatChanges({ same: 6 }), "no changes");
        assert.strictEqual(formatChanges({}), "no changes");
        assert.strictEqual(hasChanges({ same: 6, refresh: 6, read: 1 }), false);
        assert.strictEqual(hasChanges({ same: 5, "create-replacement": 1 }), true);
    });

    it("formats durations", () => {
        assert.deepStrictEqual([0, 8_400, 59_600, 65_000, 3_600_000 + 120_000].map(formatDuration), [
            "0s",
            "8s",
            "1m00s",
            "1m05s",
            "1h02m",
        ]);
    });

    describe("failure reason", () => {
        it("prefers the engine's error diagnostics, without the generic ones", () => {
            assert.strictEqual(
                failureReason(["update failed", "kind cannot reach Docker:\n  start it"], "code: 255 ..."),
                "kind cannot reach Docker: start it",
            );
        });

        it("else takes the error: lines of the CLI's output", () => {
            const text = "code: 255\n stdout: Updating\n stderr: error: update failed\nerror: stack is locked\n";
            assert.strictEqual(failureReason([], text), "stack is locked");
        });

        it("else the first line, shortened", () => {
            assert.strictEqual(failureReason([], "spawn pulumi ENOENT\nmore"), "spawn pulumi ENOENT");
            const long = failureReason(["x".repeat(1000)], "");
            assert.strictEqual(long.length, 400);
            assert.ok(long.endsWith("…"));
        });
    });
});
