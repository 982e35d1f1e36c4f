import { explainPods } from "./explain";
import { Check, ClusterAccess, Explanation, LogRef, ObservedState, Verdict } from "./model";

/**
 * Polls the checks until each passes or its own timeout ends, then explains
 * the failures. One observation per poll serves every check still waiting;
 * the cluster is reached only through the Observer, so the runner is tested
 * with a fake one and a fake clock.
 */

export interface ObserveRequest {
    pods: readonly string[];
    logs: readonly LogRef[];
    /** The checks' own reads, by check id. */
    fetches: readonly { id: string; fetch: (cluster: ClusterAccess) => Promise<unknown> }[];
    /** Gather the events and log tails an explanation needs. */
    evidence: boolean;
}

export interface Observer {
    observe(request: ObserveRequest): Promise<ObservedState>;
}

/** The longest --timeout accepted: an hour is already more than any lab needs. */
export const MAX_TIMEOUT_SECONDS = 3600;

/** `--timeout SECONDS` as given on a command line; throws the message a user needs. */
export function parseTimeoutSeconds(text: string): number {
    const seconds = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!(seconds >= 1 && seconds <= MAX_TIMEOUT_SECONDS)) {
        throw new Error(
            `--timeout must be a whole number of seconds from 1 to ${MAX_TIMEOUT_SECONDS}; ` +
                `got ${JSON.stringify(text)}. Example: --timeout 180`,
        );
    }
    return seconds;
}

export type CheckStatus = "passed" | "failed" | "error";

export interface CheckRecord {
    id: string;
    description: string;
    status: CheckStatus;
    message: string;
    observed: Verdict["observed"];
    /** ISO times: when polling began, and when the check was settled. */
    startedAt: string;
    finishedAt: string;
    durationMs: number;
    timeoutSeconds: number;
    /** How many observations the check was judged on. */
    attempts: number;
    explanation?: Explanation;
}

export interface RunOptions {
    /** Overrides every check's own timeout (--timeout). */
    timeoutSeconds?: number;
    /** Between two observations; default 2 s. */
    pollMs?: number;
    now?: () => number;
    sleep?: (ms: number) => Promise<void>;
    /** A line about a check still waiting, now and then (the CLI prints it to stderr). */
    progress?: (line: string) => void;
    /** How often `progress` is called per waiting check; default 10 s. */
    progressEveryMs?: number;
    /** Sees every observation (the lab's wiring keeps the last one for the report). */
    onObserve?: (state: ObservedState) => void;
}

interface Pending {
    check: Check;
    deadline: number;
    attempts: number;
    last?: Verdict;
    lastProgress: number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function errorText(err: unknown): string {
    return (err instanceof Error ? err.message : String(err)).split("\n")[0];
}

/** Runs the checks; the records come back in the checks' order. */
export async function runChecks(
    checks: readonly Check[],
    observer: Observer,
    options: RunOptions = {},
): Promise<CheckRecord[]> {
    const now = options.now ?? Date.now;
    const sleep = options.sleep ?? realSleep;
    const pollMs = options.pollMs ?? 2000;
    const progressEvery = options.progressEveryMs ?? 10_000;
    const started = now();
    const records = new Map<string, CheckRecord>();
    const timeoutOf = (c: Check) => options.timeoutSeconds ?? c.timeoutSeconds;
    let pending: Pending[] = checks.map((check) => ({
        check,
        deadline: started + timeoutOf(check) * 1000,
        attempts: 0,
        lastProgress: started,
    }));

    const settle = (p: Pending, status: CheckStatus, verdict: Verdict, explanation?: Explanation) => {
        const end = now();
        records.set(p.check.id, {
            id: p.check.id,
            description: p.check.description,
            status,
            message: verdict.message,
            observed: verdict.observed,
            startedAt: new Date(started).toISOString(),
            finishedAt: new Date(end).toISOString(),
            durationMs: end - started,
            timeoutSeconds: timeoutOf(p.check),
            attempts: p.attempts,
            ...(explanation ? { explanation } : {}),
        });
    };
    const request = (list: Pending[], evidence: boolean): ObserveRequest => ({
        pods: [...new Set(list.flatMap((p) => p.check.pods))],
        logs: list.flatMap((p) => p.check.logs ?? []),
        fetches: list.flatMap((p) => (p.check.fetch ? [{ id: p.check.id, fetch: p.check.fetch }] : [])),
        evidence,
    });

    while (pending.length > 0) {
        let state: ObservedState;
        try {
            state = await observer.observe(request(pending, false));
            options.onObserve?.(state);
        } catch (err) {
            // The cluster could not be read at all (unreachable, forbidden): waiting would only repeat it.
            const verdict: Verdict = {
                ok: false,
                message: `could not read the cluster: ${errorText(err)}`,
                observed: {},
            };
            for (const p of pending) settle(p, "error", verdict);
            break;
        }
        const failing: Pending[] = [];
        const waiting: Pending[] = [];
        for (const p of pending) {
            p.attempts++;
            p.last = p.check.judge(state);
            if (p.last.ok) settle(p, "passed", p.last);
            else if (p.last.final || now() >= p.deadline) failing.push(p);
            else waiting.push(p);
        }
        if (failing.length > 0)
            await explainFailures(failing, observer, request(failing, true), settle, options.onObserve);
        pending = waiting;
        if (pending.length === 0) break;
        for (const p of pending) {
            if (options.progress && now() - p.lastProgress >= progressEvery) {
                p.lastProgress = now();
                const left = Math.max(0, Math.round((p.deadline - now()) / 1000));
                options.progress(`waiting for ${p.check.id} (${left} s left): ${p.last?.message ?? ""}`);
            }
        }
        const nextDeadline = Math.min(...pending.map((p) => p.deadline));
        await sleep(Math.max(0, Math.min(pollMs, nextDeadline - now())));
    }
    return checks.map((c) => records.get(c.id)!);
}

/** One more look with the evidence, judged again (a check may pass at the last moment), then explained. */
async function explainFailures(
    failing: Pending[],
    observer: Observer,
    req: ObserveRequest,
    settle: (p: Pending, status: CheckStatus, verdict: Verdict, explanation?: Explanation) => void,
    onObserve?: (state: ObservedState) => void,
): Promise<void> {
    let state: ObservedState | undefined;
    try {
        state = await observer.observe(req);
        onObserve?.(state);
    } catch {
        state = undefined; // explain with what the last poll saw, without events and logs
    }
    for (const p of failing) {
        const verdict = state ? p.check.judge(state) : p.last!;
        if (verdict.ok) {
            settle(p, "passed", verdict);
            continue;
        }
        const explanation = state
            ? (p.check.explain ?? ((s, v) => explainPods(s, p.check.pods, v)))(state, verdict)
            : undefined;
        settle(p, "failed", verdict, explanation);
    }
}
