import * as assert from "assert";
import { NOT_IN_ROSTER, PlanError, PlanInput, Step, planClassroom } from "../../classroom/plan";
import { StackInfo } from "../../classroom/stacks";

const managed = (name: string, resourceCount = 7): StackInfo => ({ name, managed: true, resourceCount });
const foreign = (name: string): StackInfo => ({ name, managed: false, resourceCount: 7 });

function plan(input: Partial<PlanInput> & Pick<PlanInput, "command">): Step[] {
    return planClassroom({ stacks: [], ...input }).steps;
}

/** `student:op` (plus the detail that matters) for compact comparisons. */
function brief(steps: Step[]): string[] {
    return steps.map((s) => {
        switch (s.op) {
            case "up":
            case "preview":
                return `${s.student}:${s.op}:${s.existing ? "existing" : "new"}`;
            case "destroy":
                return `${s.student}:destroy:${s.why}`;
            case "status":
            case "logs":
                return `${s.student}:${s.op}${s.notInRoster ? ":not-in-roster" : ""}`;
            case "skip":
            case "refuse":
                return `${s.student}:${s.op}`;
        }
    });
}

describe("classroom plan", () => {
    describe("up: converge", () => {
        it("creates the missing stacks and runs up on the existing ones", () => {
            const steps = plan({ command: "up", roster: ["alice", "bob"], stacks: [managed("alice")] });
            assert.deepStrictEqual(brief(steps), ["alice:up:existing", "bob:up:new"]);
        });

        it("keeps the classroom's stacks of students no longer listed, saying how to prune them", () => {
            const steps = plan({ command: "up", roster: ["alice"], stacks: [managed("alice"), managed("zoe")] });
            assert.deepStrictEqual(brief(steps), ["alice:up:existing", "zoe:skip"]);
            assert.deepStrictEqual(steps[1], { student: "zoe", op: "skip", why: NOT_IN_ROSTER });
            assert.strictEqual(NOT_IN_ROSTER, "not in roster (kept; pass --prune to destroy)");
        });

        it("destroys them with --prune", () => {
            const steps = plan({ command: "up", roster: ["alice"], stacks: [managed("zoe")], prune: true });
            assert.deepStrictEqual(brief(steps), ["alice:up:new", "zoe:destroy:prune"]);
        });

        it("never prunes a stack the classroom did not make, and reports it as ignored", () => {
            const result = planClassroom({
                command: "up",
                roster: ["alice"],
                stacks: [foreign("dev"), managed("zoe")],
                prune: true,
            });
            assert.deepStrictEqual(brief(result.steps), ["alice:up:new", "zoe:destroy:prune"]);
            assert.deepStrictEqual(result.ignored, ["dev"]);
        });

        it("refuses a roster name whose stack the classroom did not make, unless --adopt", () => {
            const stacks = [foreign("alice")];
            const refused = plan({ command: "up", roster: ["alice", "bob"], stacks });
            assert.deepStrictEqual(brief(refused), ["alice:refuse", "bob:up:new"]);
            assert.match((refused[0] as { why: string }).why, /--adopt/);
            assert.deepStrictEqual(brief(plan({ command: "up", roster: ["alice"], stacks, adopt: true })), [
                "alice:up:existing",
            ]);
        });

        it("needs a roster", () => {
            assert.throws(() => plan({ command: "up" }), PlanError);
        });
    });

    describe("preview", () => {
        it("previews roster stacks and never destroys, even with --prune", () => {
            const steps = plan({
                command: "preview",
                roster: ["alice", "bob"],
                stacks: [managed("alice"), managed("zoe")],
                prune: true,
            });
            assert.deepStrictEqual(brief(steps), ["alice:preview:existing", "bob:preview:new", "zoe:skip"]);
        });
    });

    describe("destroy", () => {
        it("destroys the roster's stacks, skipping students without one", () => {
            const steps = plan({
                command: "destroy",
                roster: ["alice", "bob"],
                stacks: [managed("alice"), managed("zoe")],
            });
            assert.deepStrictEqual(brief(steps), ["alice:destroy:roster", "bob:skip", "zoe:skip"]);
        });

        it("refuses to destroy a listed stack the classroom did not make, unless --adopt", () => {
            const stacks = [foreign("alice")];
            assert.deepStrictEqual(brief(plan({ command: "destroy", roster: ["alice"], stacks })), ["alice:refuse"]);
            assert.deepStrictEqual(brief(plan({ command: "destroy", roster: ["alice"], stacks, adopt: true })), [
                "alice:destroy:roster",
            ]);
        });

        it("with --all and no roster, destroys only the classroom's stacks", () => {
            const result = planClassroom({
                command: "destroy",
                stacks: [managed("alice"), foreign("dev"), managed("bob")],
                all: true,
            });
            assert.deepStrictEqual(brief(result.steps), ["alice:destroy:all", "bob:destroy:all"]);
            assert.deepStrictEqual(result.ignored, ["dev"]);
        });

        it("without a roster, needs --all; not both", () => {
            assert.throws(() => plan({ command: "destroy", stacks: [managed("a")] }), /--all/);
            assert.throws(() => plan({ command: "destroy", roster: ["a"], all: true }), /not both/);
        });
    });

    describe("status and logs", () => {
        it("without a roster, cover every classroom stack", () => {
            const stacks = [managed("alice", 3), foreign("dev"), managed("bob")];
            const steps = plan({ command: "status", stacks });
            assert.deepStrictEqual(brief(steps), ["alice:status", "bob:status"]);
            assert.strictEqual((steps[0] as { resourceCount?: number }).resourceCount, 3);
        });

        it("with a roster, flag missing students as failures and status lists stacks not in the roster", () => {
            const stacks = [managed("alice"), managed("zoe")];
            assert.deepStrictEqual(brief(plan({ command: "status", roster: ["alice", "bob"], stacks })), [
                "alice:status",
                "bob:refuse",
                "zoe:status:not-in-roster",
            ]);
            assert.deepStrictEqual(brief(plan({ command: "logs", roster: ["alice", "bob"], stacks })), [
                "alice:logs",
                "bob:refuse",
            ]);
        });
    });

    it("another class's stacks are never this class's students: not destroyed, not pruned, only listed", () => {
        // This class's alice and another class's alice (period3-alice), the lab's own dev.
        const stacks: StackInfo[] = [
            { name: "alice", stack: "class-alice", managed: true },
            { name: "period3-alice", managed: false, outside: true },
            { name: "dev", managed: false, outside: true },
        ];
        const all = planClassroom({ command: "destroy", all: true, stacks });
        assert.deepStrictEqual(brief(all.steps), ["alice:destroy:all"]);
        assert.deepStrictEqual(all.ignored, ["period3-alice", "dev"]);
        const up = planClassroom({ command: "up", roster: ["bob"], prune: true, stacks });
        assert.deepStrictEqual(brief(up.steps), ["bob:up:new", "alice:destroy:prune"]);
        const status = planClassroom({ command: "status", stacks });
        assert.deepStrictEqual(brief(status.steps), ["alice:status"]);
    });

    it("a stack named as the class's but not made by it is refused by its stack name", () => {
        const stacks: StackInfo[] = [{ name: "alice", stack: "class-alice", managed: false }];
        const [step] = plan({ command: "up", roster: ["alice"], stacks });
        assert.strictEqual(step.op, "refuse");
        assert.match(step.op === "refuse" ? step.why : "", /^a stack "class-alice" already exists .*--adopt/);
    });

    it("refuses flags that do not apply to the command", () => {
        assert.throws(() => plan({ command: "status", prune: true }), /--prune applies to up and preview/);
        assert.throws(() => plan({ command: "up", roster: ["a"], all: true }), /--all applies to destroy/);
    });
});
