import type { V1Pod } from "@kubernetes/client-node";
import { time as millis, describeState } from "../../verify/model";
import { LessonVerdict, fail, missing, pass, plural, statusOf } from "../shared/judge";
import { ADAPTER_APP, ADAPTER_SIDECAR, LogAdapterSettings } from "./spec";

/** One adapted line, or why a line is not one. */
function parseAdaptedLine(line: string): { time: number; message: string } | string {
    let value: unknown;
    try {
        value = JSON.parse(line);
    } catch {
        return `not JSON: ${line.slice(0, 80)}`;
    }
    const record = value as { time?: unknown; message?: unknown };
    if (typeof record !== "object" || record === null) return `not a JSON object: ${line.slice(0, 80)}`;
    const time =
        typeof record.time === "string" && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(record.time)
            ? millis(record.time)
            : undefined;
    if (time === undefined) return `no UTC "time" like 2026-01-31T10:00:00Z: ${line.slice(0, 80)}`;
    if (typeof record.message !== "string" || record.message === "") return `no "message": ${line.slice(0, 80)}`;
    return { time, message: record.message };
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * log-adapter: "adapting" when the sidecar's recent lines are each one JSON object with a
 * UTC timestamp and the app's line (the deployed `message` and a counter), one about every
 * deployed `intervalSeconds` (the timestamps have whole seconds, so the median gap may be off by one).
 */
export function judgeLogAdapter(
    pod: V1Pod | undefined,
    podName: string,
    sidecarLog: string | undefined,
    deployed: Pick<LogAdapterSettings, "message" | "intervalSeconds">,
): LessonVerdict {
    const { message, intervalSeconds } = deployed;
    if (!pod) return missing("Pod", podName);
    const app = statusOf(pod, ADAPTER_APP);
    const sidecar = statusOf(pod, ADAPTER_SIDECAR);
    if (!app?.state?.running || !sidecar?.state?.running || sidecarLog === undefined) {
        return fail(
            "starting",
            `Pod ${podName}: the app is ${describeState(app?.state)} and the adapter is ${describeState(sidecar?.state)}.`,
        );
    }
    const lines = sidecarLog.split("\n").filter((l) => l.trim() !== "");
    if (lines.length < 3) {
        return fail(
            "starting",
            `Pod ${podName}: the adapter printed ${plural(lines.length, "line")} so far; verify needs 3.`,
        );
    }
    const parsed = lines.map(parseAdaptedLine);
    const bad = parsed.find((p): p is string => typeof p === "string");
    if (bad !== undefined) return fail("wrong-format", `Pod ${podName}: an adapter line is ${bad}`);
    const records = parsed as { time: number; message: string }[];
    // The app writes `<message> <n>`: the deployed message, then its counter.
    const isAppLine = (line: string) => line.startsWith(`${message} `) && /^\d+$/.test(line.slice(message.length + 1));
    const foreign = records.find((r) => !isAppLine(r.message));
    if (foreign) {
        return fail(
            "wrong-format",
            `Pod ${podName}: an adapter line carries "${foreign.message.slice(0, 80)}", not the app's deployed ` +
                `message "${message}" and a counter.`,
        );
    }
    const gaps = records.slice(1).map((r, i) => (r.time - records[i].time) / 1000);
    const gap = median(gaps);
    if (Math.abs(gap - intervalSeconds) > 1) {
        return fail(
            "wrong-cadence",
            `Pod ${podName}: the adapted lines come every ${gap} s (median), but the app writes one every ${intervalSeconds} s.`,
        );
    }
    return pass(
        "adapting",
        `Pod ${podName}: the sidecar "${ADAPTER_SIDECAR}" turns each of the app's lines ("${message} <n>") into one JSON object with a ` +
            `UTC time, one every ${gap} s as the app writes them (last: ${lines.at(-1)}).`,
    );
}
