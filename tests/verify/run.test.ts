import * as assert from "assert";
import { Check, ObservedState } from "../../verify/model";
import { ObserveRequest, Observer, runChecks } from "../../verify/run";
import { T0, event, imagePullPod, initPod } from "./fixtures";

/** A fake clock and an observer that plays back states, one per poll (the last one repeats). */
function fixture(states: Omit<ObservedState, "at">[]) {
    let now = T0;
    const requests: ObserveRequest[] = [];
    const observer: Observer = {
        observe: async (request) => {
            requests.push(request);
            const s = states[Math.min(requests.length - 1, states.length - 1)];
            return { ...s, at: now };
        },
    };
    const options = {
        now: () => now,
        sleep: async (ms: number) => {
            now += ms;
        },
        pollMs: 1000,
    };
    return { observer, options, requests, elapsed: () => now - T0 };
}

const podState = (pod: ObservedState["pods"][string]): Omit<ObservedState, "at"> => ({
    namespace: "lab-dev",
    pods: { "init-test": pod },
    logs: {},
});

const initCheck = (timeoutSeconds: number): Check => ({
    id: "init",
    description: "the init container completed.",
    timeoutSeconds,
    pods: ["init-test"],
    judge: (s) => {
        const done = s.pods["init-test"]?.status?.initContainerStatuses?.[0]?.state?.terminated;
        return done
            ? { ok: true, message: "done", observed: { done: true } }
            : { ok: false, message: "not yet", observed: { done: false } };
    },
});

describe("verify: the polling runner", () => {
    it("waits until a check passes, judging each poll", async () => {
        const f = fixture([podState(imagePullPod()), podState(imagePullPod()), podState(initPod(11, 12))]);
        const [record] = await runChecks([initCheck(60)], f.observer, f.options);
        assert.strictEqual(record.status, "passed");
        assert.strictEqual(record.attempts, 3);
        assert.strictEqual(f.elapsed(), 2000, "two pauses of pollMs");
        assert.strictEqual(record.durationMs, 2000);
        assert.strictEqual(record.startedAt, new Date(T0).toISOString());
        assert.strictEqual(record.explanation, undefined);
        assert.deepStrictEqual(record.observed, { done: true });
    });

    it("fails at its own timeout, with one more look that gathers the evidence for the explanation", async () => {
        const pulling = { ...podState(imagePullPod()), events: [event("init-test", "BackOff", "Back-off", 3)] };
        const f = fixture([pulling]);
        const progress: string[] = [];
        const [record] = await runChecks([initCheck(5)], f.observer, {
            ...f.options,
            progress: (l) => progress.push(l),
            progressEveryMs: 2000,
        });
        assert.strictEqual(record.status, "failed");
        assert.strictEqual(record.message, "not yet");
        assert.strictEqual(f.elapsed(), 5000);
        assert.strictEqual(record.timeoutSeconds, 5);
        assert.deepStrictEqual(
            f.requests.map((r) => r.evidence),
            [false, false, false, false, false, false, true],
        );
        assert.ok(record.explanation, "a failure is explained");
        assert.match(record.explanation.hint, /cannot be pulled \(ImagePullBackOff\)/);
        assert.deepStrictEqual(
            record.explanation.pods[0].events.map((e) => e.reason),
            ["BackOff"],
        );
        assert.deepStrictEqual(progress, [
            "waiting for init (3 s left): not yet",
            "waiting for init (1 s left): not yet",
        ]);
    });

    it("--timeout overrides every check's own", async () => {
        const f = fixture([podState(imagePullPod())]);
        const [record] = await runChecks([initCheck(600)], f.observer, { ...f.options, timeoutSeconds: 3 });
        assert.strictEqual(f.elapsed(), 3000);
        assert.strictEqual(record.timeoutSeconds, 3);
    });

    it("stops polling a check whose failure is final, while the others go on", async () => {
        const final: Check = {
            ...initCheck(60),
            id: "order",
            judge: () => ({ ok: false, message: "wrong order", observed: {}, final: true }),
        };
        const f = fixture([podState(imagePullPod()), podState(initPod(11, 12))]);
        const [order, init] = await runChecks([final, initCheck(60)], f.observer, f.options);
        assert.strictEqual(order.status, "failed");
        assert.strictEqual(order.durationMs, 0);
        assert.strictEqual(init.status, "passed");
        assert.deepStrictEqual(f.requests[0].pods, ["init-test"], "one observation serves both checks");
    });

    it("passes a check that turned green on the last look", async () => {
        const f = fixture([podState(imagePullPod()), podState(imagePullPod()), podState(initPod(11, 12))]);
        const [record] = await runChecks([initCheck(1)], f.observer, f.options);
        assert.strictEqual(record.status, "passed");
        assert.strictEqual(record.explanation, undefined);
    });

    it("an unreadable cluster is an error for every check, at once", async () => {
        const observer: Observer = {
            observe: async () => {
                throw new Error("connect ECONNREFUSED 127.0.0.1:6443\nmore");
            },
        };
        const records = await runChecks(
            [initCheck(60), { ...initCheck(60), id: "other" }],
            observer,
            fixture([]).options,
        );
        assert.deepStrictEqual(
            records.map((r) => [r.id, r.status, r.message]),
            [
                ["init", "error", "could not read the cluster: connect ECONNREFUSED 127.0.0.1:6443"],
                ["other", "error", "could not read the cluster: connect ECONNREFUSED 127.0.0.1:6443"],
            ],
        );
    });

    it("uses a check's own explainer when it has one", async () => {
        const custom: Check = {
            ...initCheck(0),
            explain: (s, v) => ({ pods: [], hint: `custom: ${v.message} in ${s.namespace}` }),
        };
        const f = fixture([podState(imagePullPod())]);
        const [record] = await runChecks([custom], f.observer, f.options);
        assert.deepStrictEqual(record.explanation, { pods: [], hint: "custom: not yet in lab-dev" });
    });
});
