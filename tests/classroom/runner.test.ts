import * as assert from "assert";
import { Step, planClassroom } from "../../classroom/plan";
import { StudentResult, runPool, runSteps } from "../../classroom/runner";
import { StudentOperationError, StudentConfig } from "../../classroom/stacks";
import { exitCode } from "../../classroom/summary";
import { studentConfig } from "../../classroom/topology";
import { FakeStacks, logCommand, settle } from "./fakeStacks";

const ups = (names: string[]): Step[] => names.map((student) => ({ student, op: "up", existing: false }));
const noConfig = (): StudentConfig => ({ set: {}, remove: [] });

interface Run {
    lines: string[];
    options: Parameters<typeof runSteps>[2];
}

function options(parallel: number, extra: Partial<Run["options"]> = {}): Run {
    const lines: string[] = [];
    let clock = 0;
    return {
        lines,
        options: {
            parallel,
            config: noConfig,
            removeStacks: true,
            progress: (student, line) => lines.push(`${student} | ${line}`),
            // Each reading of the clock is one second later: durations are exact, not measured.
            now: () => (clock += 1000),
            ...extra,
        },
    };
}

const byStudent = (results: StudentResult[]) => new Map(results.map((r) => [r.student, r]));

describe("classroom runner", () => {
    describe("bounded parallelism", () => {
        it("runs at most --parallel operations at once, and starts the next as soon as one ends", async () => {
            const names = Array.from({ length: 10 }, (_, i) => `s${i}`);
            const fake = new FakeStacks();
            fake.hold = true;
            const done = runSteps(ups(names), fake, options(3).options);
            await settle();
            assert.deepStrictEqual(fake.held(), ["s0", "s1", "s2"]);
            // End them out of order; each end lets exactly one more start.
            const order = ["s1", "s0", "s2", "s4", "s3", "s6", "s5", "s7", "s9", "s8"];
            let finished = 0;
            for (const student of order) {
                fake.release(student);
                finished++;
                await settle();
                assert.strictEqual(fake.active, Math.min(3, names.length - finished), `after ${student} ended`);
            }
            const results = await done;
            assert.strictEqual(fake.maxActive, 3);
            assert.deepStrictEqual(
                results.map((r) => r.student),
                names,
                "results keep the roster's order, not the finishing order",
            );
        });

        it("runs everything at once when --parallel exceeds the class", async () => {
            const fake = new FakeStacks();
            fake.hold = true;
            const done = runSteps(ups(["a", "b"]), fake, options(8).options);
            await settle();
            assert.deepStrictEqual(fake.held(), ["a", "b"]);
            fake.release("b");
            fake.release("a");
            await done;
            assert.strictEqual(fake.maxActive, 2);
        });

        it("runPool refuses a parallelism below 1", async () => {
            await assert.rejects(() => runPool([1], 0, async (x) => x), /parallelism/);
        });
    });

    describe("failures", () => {
        it("one student's failure stops no one, is reported with its reason, and sets the exit code", async () => {
            const fake = new FakeStacks();
            fake.failures.set("bob", new StudentOperationError("kind cannot reach Docker: start Docker Desktop"));
            fake.failures.set(
                "carol",
                new Error("code: 255\n stdout: \n stderr: error: the stack is currently locked by 1 lock(s)\n"),
            );
            const run = options(1);
            const results = await runSteps(ups(["alice", "bob", "carol", "dave"]), fake, run.options);
            assert.deepStrictEqual(
                fake.calls.map((c) => c.student),
                ["alice", "bob", "carol", "dave"],
                "every student's up ran, even after failures",
            );
            const r = byStudent(results);
            assert.strictEqual(r.get("alice")!.status, "created");
            assert.strictEqual(r.get("dave")!.status, "created");
            assert.strictEqual(r.get("bob")!.status, "failed");
            assert.strictEqual(r.get("bob")!.error, "kind cannot reach Docker: start Docker Desktop");
            assert.strictEqual(r.get("carol")!.error, "the stack is currently locked by 1 lock(s)");
            assert.ok(run.lines.includes("bob | FAILED after 1s: kind cannot reach Docker: start Docker Desktop"));
            assert.strictEqual(exitCode(results), 1);
        });

        it("after an interrupt, lets the running operations finish and starts no more", async () => {
            const fake = new FakeStacks();
            fake.hold = true;
            let interrupted = false;
            const done = runSteps(
                ups(["a", "b", "c", "d"]),
                fake,
                options(2, { cancelled: () => interrupted }).options,
            );
            await settle();
            interrupted = true;
            fake.release("a");
            fake.release("b");
            const results = await done;
            assert.deepStrictEqual(
                fake.calls.map((c) => c.student),
                ["a", "b"],
            );
            assert.deepStrictEqual(
                results.map((r) => r.error ?? r.status),
                ["created", "created", "not started: interrupted", "not started: interrupted"],
            );
            assert.strictEqual(exitCode(results), 1);
        });

        it("a rerun after an interrupt converges the finished stacks and creates the rest", async () => {
            const fake = new FakeStacks();
            fake.hold = true;
            let interrupted = false;
            const first = runSteps(ups(["a", "b", "c"]), fake, options(1, { cancelled: () => interrupted }).options);
            await settle();
            interrupted = true;
            fake.release("a");
            await first;
            // The backend now holds a's stack only; the same roster again:
            const plan = planClassroom({
                command: "up",
                roster: ["a", "b", "c"],
                stacks: [{ name: "a", managed: true, resourceCount: 10 }],
            });
            assert.deepStrictEqual(
                plan.steps.map((s) => (s.op === "up" ? `${s.student}:${s.existing}` : s.op)),
                ["a:true", "b:false", "c:false"],
            );
            const again = new FakeStacks();
            again.results.set("a", { changes: { same: 10 } });
            const results = await runSteps(plan.steps, again, options(2).options);
            assert.deepStrictEqual(
                results.map((r) => `${r.student}:${r.status}`),
                ["a:unchanged", "b:created", "c:created"],
            );
            assert.strictEqual(exitCode(results), 0);
        });

        it("a refused student is a failure without any engine call", async () => {
            const fake = new FakeStacks();
            const steps: Step[] = [{ student: "alice", op: "refuse", why: "a stack alice already exists" }];
            const results = await runSteps(steps, fake, options(2).options);
            assert.strictEqual(fake.calls.length, 0);
            assert.strictEqual(results[0].status, "failed");
            assert.strictEqual(exitCode(results), 1);
        });

        it("exits 0 when everything succeeded or was skipped", async () => {
            const steps: Step[] = [...ups(["alice"]), { student: "zoe", op: "skip", why: "not in roster" }];
            const results = await runSteps(steps, new FakeStacks(), options(2).options);
            assert.deepStrictEqual(
                results.map((r) => r.status),
                ["created", "skipped"],
            );
            assert.strictEqual(exitCode(results), 0);
        });
    });

    describe("up: convergence", () => {
        it("says created, updated or unchanged from what the update did, with the log command", async () => {
            const fake = new FakeStacks([
                { name: "bob", managed: true },
                { name: "carol", managed: true },
            ]);
            fake.results.set("bob", { changes: { same: 5, update: 1 }, outputs: {} });
            fake.results.set("carol", { changes: { same: 6 } });
            const { steps } = planClassroom({
                command: "up",
                roster: ["alice", "bob", "carol"],
                stacks: await fake.list(),
            });
            const r = byStudent(await runSteps(steps, fake, options(2).options));
            assert.strictEqual(r.get("alice")!.status, "created");
            assert.strictEqual(r.get("alice")!.detail, "+6");
            assert.strictEqual(r.get("alice")!.logCommand, logCommand("alice"));
            assert.strictEqual(r.get("bob")!.status, "updated");
            assert.strictEqual(r.get("bob")!.detail, "~1");
            assert.strictEqual(r.get("carol")!.status, "unchanged");
            assert.strictEqual(r.get("carol")!.detail, "no changes");
        });

        it("gives each stack its own topology config", async () => {
            const fake = new FakeStacks();
            const topology = { kind: "shared", kubeconfig: "/k/shared.yaml" } as const;
            const run = options(2, { config: (s) => studentConfig(topology, s) });
            await runSteps(ups(["alice", "bob"]), fake, run.options);
            const students = fake.calls.map((c) => c.config?.set["init-sidecar-lab:student"]);
            assert.deepStrictEqual(students, ["alice", "bob"]);
        });

        it("prints a start line, the operation's own lines and an end line with the duration, each per student", async () => {
            const run = options(1);
            await runSteps(ups(["alice"]), new FakeStacks(), run.options);
            assert.deepStrictEqual(run.lines, [
                "alice | up: new stack",
                "alice | fake up running",
                "alice | done in 1s: created, +6",
            ]);
        });
    });

    describe("other commands", () => {
        it("preview counts the changes and marks new stacks", async () => {
            const fake = new FakeStacks([{ name: "alice", managed: true }]);
            fake.results.set("alice", { changes: { same: 4, update: 2 } });
            fake.results.set("bob", { changes: { create: 10 } });
            const { steps } = planClassroom({
                command: "preview",
                roster: ["alice", "bob"],
                stacks: await fake.list(),
            });
            const r = byStudent(await runSteps(steps, fake, options(2).options));
            assert.strictEqual(r.get("alice")!.detail, "~2");
            assert.strictEqual(r.get("bob")!.detail, "new stack: +10");
            assert.ok([...r.values()].every((x) => x.status === "previewed"));
        });

        it("destroy removes the stacks unless --keep-stacks, and says a pruned one was not in the roster", async () => {
            const fake = new FakeStacks();
            fake.results.set("zoe", { changes: { delete: 6 } });
            const steps: Step[] = [{ student: "zoe", op: "destroy", why: "prune" }];
            const removed = await runSteps(steps, fake, options(1).options);
            assert.strictEqual(removed[0].detail, "-6, stack removed, pruned: not in roster");
            const kept = await runSteps(steps, fake, options(1, { removeStacks: false }).options);
            assert.match(kept[0].detail, /stack kept/);
            assert.deepStrictEqual(
                fake.calls.map((c) => c.removeStack),
                [true, false],
            );
        });

        it("status reports the last update and fails for a failed or never-deployed stack", async () => {
            const fake = new FakeStacks();
            const endTime = new Date("2026-01-02T03:04:05.678Z");
            fake.history.set("alice", { kind: "update", result: "succeeded", endTime });
            fake.history.set("bob", { kind: "update", result: "failed", endTime });
            const steps: Step[] = ["alice", "bob", "carol"].map((student) => ({
                student,
                op: "status",
                notInRoster: student === "carol",
                resourceCount: 1,
            }));
            const r = byStudent(await runSteps(steps, fake, options(2).options));
            assert.strictEqual(r.get("alice")!.status, "ok");
            assert.strictEqual(r.get("alice")!.detail, "update succeeded 2026-01-02T03:04:05Z, 1 resource");
            assert.strictEqual(r.get("alice")!.logCommand, logCommand("alice"));
            assert.strictEqual(r.get("bob")!.status, "failed");
            assert.strictEqual(r.get("bob")!.error, "the last update failed");
            assert.strictEqual(r.get("carol")!.detail, "never deployed, 1 resource, not in roster");
            assert.strictEqual(r.get("carol")!.status, "failed");
        });

        it("logs fails for a stack without logCommands", async () => {
            const fake = new FakeStacks();
            fake.outputsOf.set("bob", {});
            const steps: Step[] = ["alice", "bob"].map((student) => ({ student, op: "logs", notInRoster: false }));
            const r = byStudent(await runSteps(steps, fake, options(2).options));
            assert.strictEqual(r.get("alice")!.status, "ok");
            assert.strictEqual(r.get("bob")!.status, "failed");
            assert.match(r.get("bob")!.error!, /no logCommands/);
        });
    });
});
