import { DEPLOYED_VERSION, DeployedLab } from "../components/deployed";
import { INIT_DEMO_POD_NAME } from "../components/initDemoPod";
import { SIDECAR_DEMO_POD_NAME } from "../components/sidecarDemoPod";

/**
 * Where a lab's Pods are, what was deployed in them and how to reach its cluster, from a stack's
 * outputs and config: shared by `npm run verify` and `classroom verify`. Pure.
 */

/** The Pods' names when a stack does not say (the stack program names them so, index.ts). */
export const DEFAULT_POD_NAMES = { initPod: INIT_DEMO_POD_NAME, sidecarPod: SIDECAR_DEMO_POD_NAME } as const;

export interface LabTarget {
    namespace: string;
    initPod: string;
    sidecarPod: string;
    /** A whole kubeconfig to use (a student's own, in the shared topology). */
    kubeconfigText?: string;
    /** Else this kubeconfig file (the stack's kubeconfig setting); else the default ($KUBECONFIG, ~/.kube/config). */
    kubeconfigPath?: string;
    /** The context to use; else the kubeconfig's current one. */
    context?: string;
    stack?: string;
    /** The lessons the stack deployed (the keys of its `lessons` output): verify checks them too. */
    lessons?: string[];
    /** What the stack deployed (its `deployed` output): the checks expect and wait for these values. */
    deployed?: DeployedLab;
    /** Why the checks expect the defaults instead (a stack deployed by a version without that output). */
    notice?: string;
    description: string;
}

/** A stack output as the Automation API returns it. */
export type Outputs = Record<string, { value: unknown } | undefined>;

export class TargetError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "TargetError";
    }
}

/**
 * The target of a deployed stack. In the shared topology each student's stack exports their own
 * kubeconfig (studentKubeconfig): verify reads the lab with it, so it sees what the student sees.
 */
export function targetFromOutputs(stack: string, outputs: Outputs, kubeconfigSetting?: string): LabTarget {
    const text = (key: string) => {
        const v = outputs[key]?.value;
        return typeof v === "string" && v !== "" ? v : undefined;
    };
    const namespace = text("namespace");
    if (!namespace) {
        throw new TargetError(`stack "${stack}" has no outputs yet (no namespace output): run \`npm run up\` first.`);
    }
    const lessons = outputs.lessons?.value;
    const deployed = deployedFrom(outputs.deployed?.value);
    const studentKubeconfig = text("studentKubeconfig");
    const context = studentKubeconfig ? undefined : text("kubeContext");
    return {
        namespace,
        initPod: text("initPodName") ?? DEFAULT_POD_NAMES.initPod,
        sidecarPod: text("sidecarPodName") ?? DEFAULT_POD_NAMES.sidecarPod,
        kubeconfigText: studentKubeconfig ?? text("kubeconfig"),
        kubeconfigPath: kubeconfigSetting || undefined,
        context,
        stack,
        lessons: typeof lessons === "object" && lessons !== null ? Object.keys(lessons) : [],
        ...(deployed
            ? { deployed }
            : {
                  notice:
                      `stack ${stack} does not say what it deployed (no \`deployed\` output: an older version deployed it), ` +
                      "so verify expects the defaults; `npm run up` records it.",
              }),
        description:
            `stack ${stack}, namespace ${namespace}` +
            (studentKubeconfig ? ", the student's kubeconfig" : context ? `, context ${context}` : ""),
    };
}

/** The target of `--namespace` (no stack): the default Pod names. */
export function targetFromNamespace(namespace: string, kubeconfigPath?: string, context?: string): LabTarget {
    return {
        namespace,
        ...DEFAULT_POD_NAMES,
        kubeconfigPath,
        context,
        description: `namespace ${namespace}${context ? `, context ${context}` : ""}`,
    };
}

/** The `deployed` output, when it is one this verify reads (its version and both Pods); else undefined. */
export function deployedFrom(value: unknown): DeployedLab | undefined {
    if (typeof value !== "object" || value === null) return undefined;
    const d = value as Partial<DeployedLab>;
    const isObject = (v: unknown) => typeof v === "object" && v !== null;
    if (d.version !== DEPLOYED_VERSION || !isObject(d.initPod) || !isObject(d.sidecarPod)) return undefined;
    return { ...d, lessons: isObject(d.lessons) ? d.lessons : {} } as DeployedLab;
}
