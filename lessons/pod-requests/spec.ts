import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { demoPodMetadata } from "../../components/demoPod";
import {
    Container,
    PodSpec,
    TERMINATION_GRACE_SECONDS,
    demoContainer,
    demoPodLabels,
    placeSidecar,
    restrictedPodSecurityContext,
} from "../../components/podDefaults";
import { quantity } from "../../components/quantity";
import { setting } from "../../components/settings";
import { SidecarMode } from "../../components/sidecarDemoPod";
import {
    BuiltPod,
    OwnedObjectsArgs,
    OwnedObjectsSettings,
    resolveOwnedObjectsSettings,
    runUntilStopped,
} from "../shared/ownedObjects";

/**
 * Lesson "pod-requests": what a Pod reserves on its node is not the sum of its containers'
 * requests. Two Pods have the same three containers with the same requests: a setup step (an
 * init container that completes), an app, and a sidecar, classic in one Pod, native (listed
 * before the setup step) in the other. The setup step asks for more than the app and the sidecar
 * together, so the classic Pod reserves the setup's request, the native one the setup's plus the
 * sidecar's (it already runs beside the setup step).
 *
 * What the API server counts: a ResourceQuota of the Terminating scope, which counts only Pods
 * with `activeDeadlineSeconds`. These two have one (a year: a lab never reaches it), the lab's
 * other Pods none (but a shutdown-order Pod being stopped, for the seconds it takes), so the
 * quota's `used` is these two Pods' effective requests, computed by the API server with the
 * function the scheduler uses.
 */

export const CLASSIC_POD = "lesson-requests-classic";
export const NATIVE_POD = "lesson-requests-native";
export const QUOTA = "lesson-pod-requests";
export const SETUP = "setup";
export const APP = "app";
export const SIDECAR = "sidecar";
/** The `app.kubernetes.io/component` label of both Pods and the quota. */
export const COMPONENT = "lesson-pod-requests";
/** Puts both Pods in the quota's Terminating scope; no lab lives a year. */
export const ACTIVE_DEADLINE_SECONDS = 365 * 24 * 3600;
export const QUOTA_SCOPE = "Terminating";

const request = (value: string, what: string) =>
    setting({
        type: "string",
        default: value,
        example: value,
        description: `${what} (a Kubernetes quantity; the limit is the same).`,
        check: quantity,
    });

export const POD_REQUESTS_SETTINGS = {
    setupCpu: request("60m", "CPU request of the setup step"),
    setupMemory: request("48Mi", "Memory request of the setup step"),
    appCpu: request("20m", "CPU request of the app"),
    appMemory: request("16Mi", "Memory request of the app"),
    sidecarCpu: request("20m", "CPU request of the sidecar"),
    sidecarMemory: request("16Mi", "Memory request of the sidecar"),
};

/** The demo Pods' arguments but `podName` (two Pods, named above), and the table's. */
export type PodRequestsLessonArgs = OwnedObjectsArgs<typeof POD_REQUESTS_SETTINGS>;
export type PodRequestsSettings = OwnedObjectsSettings<typeof POD_REQUESTS_SETTINGS>;

export function resolvePodRequestsSettings(args: pulumi.Unwrap<PodRequestsLessonArgs>): PodRequestsSettings {
    return resolveOwnedObjectsSettings(POD_REQUESTS_SETTINGS, args);
}

export const SETUP_SCRIPT = `echo "Setup step: done, exiting 0."\n`;
export const RUNNING_SCRIPT = runUntilStopped(`echo "Running."\n`);

/** A container whose request is `cpu`/`memory`, and its limit the same. */
function sized(container: Container, cpu: string, memory: string): Container {
    const amounts = { cpu, memory };
    return { ...container, resources: { requests: amounts, limits: amounts } };
}

export function buildPodRequestsPodSpec(settings: PodRequestsSettings, style: SidecarMode): PodSpec {
    const s = settings;
    const setup = sized(demoContainer(SETUP, s.image, SETUP_SCRIPT), s.setupCpu, s.setupMemory);
    const app = sized(demoContainer(APP, s.image, RUNNING_SCRIPT), s.appCpu, s.appMemory);
    const sidecar = sized(demoContainer(SIDECAR, s.image, RUNNING_SCRIPT), s.sidecarCpu, s.sidecarMemory);
    const placed = placeSidecar(style, app, sidecar);
    return {
        securityContext: restrictedPodSecurityContext(),
        terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
        activeDeadlineSeconds: ACTIVE_DEADLINE_SECONDS,
        // The native sidecar starts first and runs beside the setup step; the classic one only after it.
        initContainers: [...(placed.initContainers ?? []), setup],
        containers: placed.containers,
    };
}

export function buildPodRequestsPod(settings: PodRequestsSettings, style: SidecarMode, namespace: string): BuiltPod {
    const podName = style === "native" ? NATIVE_POD : CLASSIC_POD;
    return {
        metadata: demoPodMetadata({ ...settings, podName }, namespace, COMPONENT),
        spec: buildPodRequestsPodSpec(settings, style),
    };
}

/**
 * What the quota may count, far above anything the lab runs: it is there to count, not to limit.
 * Another Pod that gets a deadline joins its scope too (shutdown-order's `stop` sets one): the
 * API server refuses the change if it would exceed these, and counts that Pod until it ended.
 */
export const QUOTA_HARD = { "requests.cpu": "64", "requests.memory": "256Gi" };

/** The quota that counts the Pods of its scope: both of this lesson's. */
export function buildPodRequestsQuota(namespace: string): pulumi.Unwrap<k8s.types.input.core.v1.ResourceQuota> {
    return {
        metadata: { name: QUOTA, namespace, labels: demoPodLabels(COMPONENT) },
        spec: { scopes: [QUOTA_SCOPE], hard: QUOTA_HARD },
    };
}
