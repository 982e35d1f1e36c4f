import {
    LastUpdate,
    OperationResult,
    ProgressSink,
    StackInfo,
    StackOutputs,
    StudentConfig,
    StudentStacks,
} from "../../classroom/stacks";

/**
 * A StudentStacks without Pulumi: records every call and how many operations
 * ran at once. With `hold`, each engine operation waits until the test calls
 * `release(student)`, so a test decides the order in which operations end.
 */

export interface FakeCall {
    op: "up" | "preview" | "destroy" | "outputs" | "lastUpdate";
    student: string;
    config?: StudentConfig;
    removeStack?: boolean;
}

export class FakeStacks implements StudentStacks {
    readonly calls: FakeCall[] = [];
    active = 0;
    maxActive = 0;
    hold = false;
    /** Results per student; default: a created lab. */
    readonly results = new Map<string, OperationResult>();
    /** Errors per student: the operation rejects with it. */
    readonly failures = new Map<string, unknown>();
    readonly outputsOf = new Map<string, StackOutputs>();
    readonly history = new Map<string, LastUpdate>();
    private readonly waiting = new Map<string, () => void>();

    constructor(private readonly stacks: StackInfo[] = []) {}

    /** Students whose operation is running and held. */
    held(): string[] {
        return [...this.waiting.keys()];
    }

    release(student: string): void {
        const go = this.waiting.get(student);
        if (!go) throw new Error(`${student} is not held; held: ${this.held().join(", ")}`);
        this.waiting.delete(student);
        go();
    }

    async list(): Promise<StackInfo[]> {
        return this.stacks;
    }

    private async engine(call: FakeCall, progress?: ProgressSink): Promise<OperationResult> {
        this.calls.push(call);
        this.active++;
        this.maxActive = Math.max(this.maxActive, this.active);
        try {
            progress?.(`fake ${call.op} running`);
            if (this.hold) await new Promise<void>((resolve) => this.waiting.set(call.student, resolve));
            else await Promise.resolve();
            if (this.failures.has(call.student)) throw this.failures.get(call.student);
            return this.results.get(call.student) ?? { changes: { create: 6 }, outputs: labOutputs(call.student) };
        } finally {
            this.active--;
        }
    }

    up(student: string, config: StudentConfig, progress: ProgressSink): Promise<OperationResult> {
        return this.engine({ op: "up", student, config }, progress);
    }

    preview(student: string, config: StudentConfig, progress: ProgressSink): Promise<OperationResult> {
        return this.engine({ op: "preview", student, config }, progress);
    }

    destroy(student: string, options: { removeStack: boolean }, progress: ProgressSink): Promise<OperationResult> {
        return this.engine({ op: "destroy", student, removeStack: options.removeStack }, progress);
    }

    async outputs(student: string): Promise<StackOutputs> {
        this.calls.push({ op: "outputs", student });
        if (this.failures.has(student)) throw this.failures.get(student);
        return this.outputsOf.get(student) ?? labOutputs(student);
    }

    async lastUpdate(student: string): Promise<LastUpdate | undefined> {
        this.calls.push({ op: "lastUpdate", student });
        return this.history.get(student);
    }
}

export function logCommand(student: string): string {
    return `kubectl --context kind-lab-${student} -n lab-${student} logs sidecar-test -c sidecar-container -f`;
}

/** The outputs the lab exports, shaped as the Automation API returns them. */
export function labOutputs(student: string): StackOutputs {
    return {
        namespace: { value: `lab-${student}`, secret: false },
        kubeconfig: { value: "apiVersion: v1\n# secret", secret: true },
        logCommands: {
            value: {
                init: `kubectl --context kind-lab-${student} -n lab-${student} logs init-test -c init-container`,
                sidecar: logCommand(student),
            },
            secret: false,
        },
        watchCommands: { value: { all: `kubectl -n lab-${student} get pods -w` }, secret: false },
    };
}

/** Lets every promise that can settle now settle (event-loop turns, not time). */
export async function settle(): Promise<void> {
    for (let i = 0; i < 10; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
