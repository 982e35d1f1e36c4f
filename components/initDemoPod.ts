import * as pulumi from "@pulumi/pulumi";
import {
    DemoPodArgs,
    DemoPodComponent,
    DemoPodSettings,
    RenderedDemoPod,
    checkDemoPodArgs,
    componentLabel,
    podRenderer,
    resolvePodSettings,
} from "./demoPod";
import { PodSpec, TERMINATION_GRACE_SECONDS, demoContainer, restrictedPodSecurityContext } from "./podDefaults";
import { ArgsOf, SettingsOf, setting } from "./settings";
import { InvalidValueError, dnsLabel, integerInRange } from "./validation";

/** One init container: a step that must finish before the next one, and before the app, starts. */
export interface InitStep {
    /** Container name, a DNS-1123 label unique in the Pod. */
    name: string;
    /** Seconds this step sleeps between its two messages. Default: the Pod's `initDelaySeconds`. */
    delaySeconds?: number;
    /** A shell script to run instead of the guide's echo, sleep, echo. It must exit 0 for the Pod to go on. */
    script?: string;
}

/** The Pod's arguments: the demo Pods', this table's (defaults and rules: INIT_DEMO_POD_SETTINGS) and its steps. */
export type InitDemoPodArgs = DemoPodArgs &
    ArgsOf<typeof INIT_DEMO_POD_SETTINGS> & {
        /** The init containers, run one after another. Default: the guide's single `init-container`. */
        initSteps?: pulumi.Input<InitStep[]>;
    };

/** The guide's name for this Pod: the stack program's component and the Pod are named so by default. */
export const INIT_DEMO_POD_NAME = "init-test";
export const DEFAULT_INIT_STEP_NAME = "init-container";
export const INIT_MAIN_CONTAINER = "main-container";
const MAX_INIT_STEPS = 10;
const MAX_SCRIPT_LENGTH = 4096;

export type InitDemoPodSettings = DemoPodSettings &
    SettingsOf<typeof INIT_DEMO_POD_SETTINGS> & { initSteps: { name: string; script: string }[] };

/** The settings only this Pod takes, beside {@link DEMO_POD_SETTINGS}; `initSteps`, a list, is checked on its own. */
export const INIT_DEMO_POD_SETTINGS = {
    initDelaySeconds: setting({
        type: "integer",
        default: 10,
        example: "10",
        description: "Seconds the init container sleeps (0-3600).",
        check: (field, value, example) => integerInRange(field, value, 0, 3600, example),
    }),
};

/** The guide's init step: announce, wait, announce. */
export function initStepScript(delaySeconds: number): string {
    return `echo "Initialization started...";\nsleep ${delaySeconds};\necho "Initialization completed."\n`;
}

/** The guide's app: announce, then stay up for an hour so its logs can be read. */
export const INIT_MAIN_SCRIPT = `echo "Main container started";\nsleep 3600\n`;

export function resolveInitDemoPodSettings(
    componentName: string,
    args: pulumi.Unwrap<InitDemoPodArgs>,
): InitDemoPodSettings {
    const { initDelaySeconds: podDelay, ...common } = resolvePodSettings(INIT_DEMO_POD_SETTINGS, componentName, args);
    const delay = INIT_DEMO_POD_SETTINGS.initDelaySeconds;
    const steps = args.initSteps ?? [{ name: DEFAULT_INIT_STEP_NAME }];
    if (!Array.isArray(steps) || steps.length < 1 || steps.length > MAX_INIT_STEPS) {
        throw new InvalidValueError(
            "initSteps",
            steps,
            `a list of 1 to ${MAX_INIT_STEPS} steps`,
            `[{ name: "${DEFAULT_INIT_STEP_NAME}" }]`,
        );
    }
    const seen = new Set<string>([INIT_MAIN_CONTAINER]);
    const initSteps = steps.map((step, i) => {
        const field = `initSteps[${i}]`;
        const name = dnsLabel(`${field}.name`, step?.name, "wait-for-db");
        if (seen.has(name)) {
            throw new InvalidValueError(
                `${field}.name`,
                name,
                `unique in the Pod and not "${INIT_MAIN_CONTAINER}"`,
                `"${name}-2"`,
            );
        }
        seen.add(name);
        if (step.script !== undefined) {
            if (
                typeof step.script !== "string" ||
                step.script.trim() === "" ||
                step.script.length > MAX_SCRIPT_LENGTH
            ) {
                throw new InvalidValueError(
                    `${field}.script`,
                    step.script,
                    `a non-empty shell script of at most ${MAX_SCRIPT_LENGTH} characters`,
                    `"until nslookup db; do sleep 2; done"`,
                );
            }
            if (step.delaySeconds !== undefined) {
                throw new InvalidValueError(
                    `${field}.delaySeconds`,
                    step.delaySeconds,
                    "left out when the step has its own script (the script does its own waiting)",
                    `{ name: "${name}", script: "sleep 5" }`,
                );
            }
            return { name, script: step.script };
        }
        // A step without its own delay takes the Pod's, not the setting's default.
        const seconds = delay.check(`${field}.delaySeconds`, step.delaySeconds ?? podDelay, delay.example);
        return { name, script: initStepScript(seconds) };
    });
    return { ...common, initDelaySeconds: podDelay, initSteps };
}

/** The Pod the guide's `init-container.yml` describes, hardened for Pod Security "restricted". */
export function buildInitDemoPodSpec(settings: InitDemoPodSettings): PodSpec {
    return {
        securityContext: restrictedPodSecurityContext(),
        terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
        initContainers: settings.initSteps.map((step) => demoContainer(step.name, settings.image, step.script)),
        containers: [demoContainer(INIT_MAIN_CONTAINER, settings.image, INIT_MAIN_SCRIPT)],
    };
}

export const renderInitDemoPod = podRenderer(resolveInitDemoPodSettings, {
    spec: buildInitDemoPodSpec,
    containers: (settings) => [...settings.initSteps.map((s) => s.name), INIT_MAIN_CONTAINER],
    followed: [],
});

/**
 * The guide's `init-test` Pod: init steps that run to completion, one after
 * another, before `main-container` starts.
 *
 * `new InitDemoPod("init-test")` renders exactly the guide's Pod (with a pinned image
 * and the restricted security fields). Pass the Kubernetes provider in `opts.provider`.
 */
export class InitDemoPod extends DemoPodComponent<RenderedDemoPod<InitDemoPodSettings>> {
    constructor(name: string, args: InitDemoPodArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        const type = "initsidecarlab:pods:InitDemoPod";
        // Every argument is checked before the component registers: a bad one leaves nothing behind.
        const checked = checkDemoPodArgs(componentLabel(type, name), args, (plain) => renderInitDemoPod(name, plain));
        super(type, name, "init-demo", checked, opts);
        this.registerOutputs(this.demoPodOutputs());
    }
}
