import { StackInfo } from "./stacks";

/**
 * What each command does to which stack, decided from the roster and the
 * stacks already on the backend: pure, so every rule is unit-tested.
 *
 * Convergence (`up`): every roster student's stack gets an `up`, new or not.
 * A student already up costs a no-change `up` (seconds): that is what notices
 * a kind cluster deleted by hand or a changed topology, which "skip stacks whose
 * last update succeeded" would not. The summary then says "unchanged".
 *
 * Only stacks tagged as the classroom's are pruned or destroyed with --all; any
 * other stack of the project on the backend (the lab's own `dev`, a stack from
 * `LAB_STACK=alice npm run up`) is left alone, and a roster name that collides
 * with one is refused unless --adopt.
 */

export const COMMANDS = ["up", "preview", "status", "logs", "destroy"] as const;
export type Command = (typeof COMMANDS)[number];

export type Step =
    /** up/preview on the student's stack; `existing` false: the stack is created (preview: then removed). */
    | { student: string; op: "up" | "preview"; existing: boolean }
    | { student: string; op: "destroy"; why: "roster" | "prune" | "all" }
    | { student: string; op: "status" | "logs"; notInRoster: boolean; resourceCount?: number }
    /** Not touched; shown in the summary, not a failure. */
    | { student: string; op: "skip"; why: string }
    /** Not touched, and counted as a failure: the roster asks for something the command will not do. */
    | { student: string; op: "refuse"; why: string };

export interface PlanInput {
    command: Command;
    /** Undefined when no --students/--roster/--count was given. */
    roster?: string[];
    stacks: StackInfo[];
    prune?: boolean;
    all?: boolean;
    adopt?: boolean;
}

export interface Plan {
    steps: Step[];
    /** Stacks of the project (by stack name) that are not this class's and not in the roster: never touched. */
    ignored: string[];
}

export class PlanError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PlanError";
    }
}

export const NOT_IN_ROSTER = "not in roster (kept; pass --prune to destroy)";

function foreignStack(stack: string): string {
    return (
        `a stack "${stack}" already exists on this backend and was not made by this class's classroom command ` +
        `(e.g. LAB_STACK=${stack} npm run up); pass --adopt to take it over, or choose another name`
    );
}

export function planClassroom(input: PlanInput): Plan {
    const { command, roster } = input;
    // Another class's stacks (and the lab's own dev) are never the roster's: only listed as left alone.
    const stacks = input.stacks.filter((s) => !s.outside);
    const outsideClass = input.stacks.filter((s) => s.outside).map((s) => s.stack ?? s.name);
    const byName = new Map(stacks.map((s) => [s.name, s]));
    const inRoster = new Set(roster ?? []);
    const managed = stacks.filter((s) => s.managed).map((s) => s.name);
    const ignored = [
        ...outsideClass,
        ...stacks.filter((s) => !s.managed && !inRoster.has(s.name)).map((s) => s.stack ?? s.name),
    ];
    const outside = managed.filter((name) => !inRoster.has(name));
    const steps: Step[] = [];

    if (input.prune && command !== "up" && command !== "preview") {
        throw new PlanError(`--prune applies to up and preview only; ${command} does not take it.`);
    }
    if (input.all && command !== "destroy") {
        throw new PlanError(`--all applies to destroy only; ${command} does not take it.`);
    }

    // A roster name whose stack exists but is not the classroom's: refused unless --adopt.
    const mayTouch = (student: string) => {
        const stack = byName.get(student);
        return stack === undefined || stack.managed || input.adopt === true;
    };

    switch (command) {
        case "up":
        case "preview": {
            if (roster === undefined) {
                throw new PlanError(
                    `${command} needs the class list: --students alice,bob, --roster students.txt or --count 12.`,
                );
            }
            for (const student of roster) {
                if (!mayTouch(student))
                    steps.push({ student, op: "refuse", why: foreignStack(byName.get(student)?.stack ?? student) });
                else steps.push({ student, op: command, existing: byName.has(student) });
            }
            for (const student of outside) {
                if (input.prune && command === "up") steps.push({ student, op: "destroy", why: "prune" });
                else if (input.prune)
                    steps.push({ student, op: "skip", why: "not in roster (up --prune destroys it)" });
                else steps.push({ student, op: "skip", why: NOT_IN_ROSTER });
            }
            break;
        }
        case "status":
        case "logs": {
            const students = roster ?? managed;
            for (const student of students) {
                if (!byName.has(student)) {
                    steps.push({ student, op: "refuse", why: "no stack (not deployed yet: run classroom up)" });
                } else {
                    const resourceCount = byName.get(student)?.resourceCount;
                    steps.push({ student, op: command, notInRoster: false, resourceCount });
                }
            }
            if (roster !== undefined && command === "status") {
                for (const student of outside) {
                    steps.push({
                        student,
                        op: command,
                        notInRoster: true,
                        resourceCount: byName.get(student)?.resourceCount,
                    });
                }
            }
            break;
        }
        case "destroy": {
            if (roster === undefined) {
                if (!input.all) {
                    throw new PlanError(
                        "destroy needs the class list (--students, --roster or --count), " +
                            "or --all to destroy every stack the classroom command made on this backend.",
                    );
                }
                for (const student of managed) steps.push({ student, op: "destroy", why: "all" });
                break;
            }
            if (input.all) throw new PlanError("destroy takes a class list or --all, not both.");
            for (const student of roster) {
                if (!byName.has(student)) steps.push({ student, op: "skip", why: "no stack (nothing to destroy)" });
                else if (!mayTouch(student))
                    steps.push({ student, op: "refuse", why: foreignStack(byName.get(student)?.stack ?? student) });
                else steps.push({ student, op: "destroy", why: "roster" });
            }
            for (const student of outside) steps.push({ student, op: "skip", why: "not in roster (kept)" });
            break;
        }
    }
    return { steps, ignored };
}
