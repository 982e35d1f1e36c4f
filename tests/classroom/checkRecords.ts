import { CheckRecord } from "../../verify/run";

/** One check's record as verify reports it, settled at `at`: passed, or failed with a hint. */
export function checkRecord(id: string, passed: boolean, at: number, message = `${id} ok`, hint?: string): CheckRecord {
    return {
        id,
        description: `${id}.`,
        status: passed ? "passed" : "failed",
        message,
        observed: {},
        startedAt: new Date(at).toISOString(),
        finishedAt: new Date(at + 1000).toISOString(),
        durationMs: 1000,
        timeoutSeconds: 120,
        attempts: 1,
        ...(hint ? { explanation: { pods: [], hint } } : {}),
    };
}
