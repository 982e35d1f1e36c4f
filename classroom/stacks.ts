/**
 * What the classroom command needs from Pulumi, and nothing more. The real
 * implementation (automation.ts) drives the Automation API; the unit tests use
 * a fake, so the orchestration runs without a Pulumi engine.
 */

/**
 * The stack tag that marks a stack as made by the classroom command, its value the class
 * (classes.ts): only a class's own stacks are pruned or destroyed with --all.
 */
export const CLASSROOM_TAG = "init-sidecar-lab:classroom";

export interface StackInfo {
    /** The student, for a stack named as the class's (`<class>-<student>`); else the stack's own name. */
    name: string;
    /** Tagged {@link CLASSROOM_TAG} with this class: created (or adopted) by its classroom command. */
    managed: boolean;
    /** A stack of the project not named as this class's (another class's, `dev`, ...): never touched. */
    outside?: boolean;
    /** The stack's own name, when it is not `name` (`period3-alice` for the student alice of class period3). */
    stack?: string;
    lastUpdate?: string;
    updateInProgress?: boolean;
    resourceCount?: number;
}

/** Config keys with the project prefix (`init-sidecar-lab:kubeconfigPath`). */
export interface StudentConfig {
    set: Record<string, string>;
    remove: string[];
}

/** Resource operation counts, as Pulumi reports them: `{ create: 6 }`, `{ same: 6 }`. */
export type ChangeCounts = Partial<Record<string, number>>;

export interface OutputValue {
    value: unknown;
    secret: boolean;
}
export type StackOutputs = Record<string, OutputValue>;

export interface OperationResult {
    changes: ChangeCounts;
    /** After `up`: the stack outputs. */
    outputs?: StackOutputs;
}

export interface LastUpdate {
    kind: string;
    result: string;
    startTime?: Date;
    endTime?: Date;
}

/** Receives one progress line at a time (no trailing newline). */
export type ProgressSink = (line: string) => void;

export interface StudentStacks {
    /** The project's stacks on the backend, this class's by student name. */
    list(): Promise<StackInfo[]>;
    /** Creates the stack when missing, tags it, applies `config`, runs `up`. */
    up(student: string, config: StudentConfig, progress: ProgressSink): Promise<OperationResult>;
    /** Previews with `config` applied; leaves no stack and no config change behind. */
    preview(student: string, config: StudentConfig, progress: ProgressSink): Promise<OperationResult>;
    /** Destroys the stack's resources, then removes the stack itself when `removeStack`. */
    destroy(student: string, options: { removeStack: boolean }, progress: ProgressSink): Promise<OperationResult>;
    outputs(student: string): Promise<StackOutputs>;
    /** The newest entry of the stack's history; undefined when it was never deployed. */
    lastUpdate(student: string): Promise<LastUpdate | undefined>;
}

/** An operation that failed for a reason worth one line in the summary; `details` keeps the full text. */
export class StudentOperationError extends Error {
    constructor(
        readonly reason: string,
        readonly details?: string,
    ) {
        super(reason);
        this.name = "StudentOperationError";
    }
}
