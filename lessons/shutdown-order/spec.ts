import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { PodSpec, demoContainer, demoPodLabels, restrictedPodSecurityContext } from "../../components/podDefaults";
import { setting } from "../../components/settings";
import { integerInRange } from "../../components/validation";
import {
    OwnedObjectsArgs,
    OwnedObjectsSettings,
    resolveOwnedObjectsSettings,
    runUntilStopped,
} from "../shared/ownedObjects";

/**
 * Lesson "shutdown-order": how the kubelet stops a Pod with sidecars. A ReplicaSet runs one Pod:
 * an app and a classic sidecar (two containers), and two native sidecars (init containers with
 * `restartPolicy: Always`). Each container writes the instant SIGTERM reaches it to its
 * termination message, which outlives the container, and takes a few seconds to stop. The
 * lesson's `stop` command ends the running Pod: the app and the classic sidecar get SIGTERM
 * together, the native sidecars only once the app has exited, the last-started first. The
 * ReplicaSet starts a new Pod, so the learner can stop it again.
 *
 * `stop` sets the Pod's `activeDeadlineSeconds` (one of the few fields a live Pod may change):
 * the kubelet then ends the Pod as on a delete, with the same grace period and order, but the
 * API server keeps the stopped Pod, and its records, to read afterwards. A deleted Pod's object
 * is gone once its containers have stopped.
 */

export const SHUTDOWN_ORDER = "lesson-shutdown-order";
export const APP = "app";
export const CLASSIC = "classic-sidecar";
/** The native sidecars, in the order they start (and the reverse of the order they stop). */
export const NATIVE = ["sidecar-1", "sidecar-2"] as const;
/** The `app.kubernetes.io/component` label of the ReplicaSet and its Pods. */
export const COMPONENT = "lesson-shutdown-order";
export const SELECTOR = `app.kubernetes.io/component=${COMPONENT}`;
/** What `stop` sets: any deadline already past ends the Pod. */
export const STOP_PATCH = '{"spec":{"activeDeadlineSeconds":1}}';

export const SHUTDOWN_ORDER_SETTINGS = {
    stopSeconds: setting({
        type: "integer",
        default: 2,
        example: "2",
        description: "Seconds each container takes to stop once it got SIGTERM (1-10).",
        check: (field, value, example) => integerInRange(field, value, 1, 10, example),
    }),
};

/**
 * The demo Pods' arguments but `podName` (the ReplicaSet names its Pods), and the table's. Here
 * `waitForReady` is about the ReplicaSet's Pod.
 */
export type ShutdownOrderLessonArgs = OwnedObjectsArgs<typeof SHUTDOWN_ORDER_SETTINGS>;
export type ShutdownOrderSettings = OwnedObjectsSettings<typeof SHUTDOWN_ORDER_SETTINGS>;

export function resolveShutdownOrderSettings(args: pulumi.Unwrap<ShutdownOrderLessonArgs>): ShutdownOrderSettings {
    return resolveOwnedObjectsSettings(SHUTDOWN_ORDER_SETTINGS, args);
}

/**
 * Long enough for the four stops one after the other (app and classic sidecar together, then
 * each native sidecar), with room to spare: past it the kubelet kills what is left.
 */
export function gracePeriodSeconds(stopSeconds: number): number {
    return 3 * stopSeconds + 10;
}

/**
 * Each container: on SIGTERM, write when it came to the termination message (the wall clock to
 * the second, and the node's uptime to the hundredth, which every container of the Pod shares),
 * then take `stopSeconds` to stop.
 */
export function containerScript(name: string, stopSeconds: number): string {
    return runUntilStopped(
        "stopped() {\n" +
            "  read up rest < /proc/uptime;\n" +
            '  echo "SIGTERM at $(date -u +%Y-%m-%dT%H:%M:%SZ), uptime $up s" > /dev/termination-log;\n' +
            `  echo "${name}: SIGTERM received, stopping in ${stopSeconds} s.";\n` +
            `  sleep ${stopSeconds};\n` +
            "  exit 0;\n" +
            "}\n" +
            `echo "${name} started.";\n`,
        "stopped",
    );
}

export function buildShutdownOrderPodSpec(settings: ShutdownOrderSettings): PodSpec {
    const container = (name: string) =>
        demoContainer(name, settings.image, containerScript(name, settings.stopSeconds));
    return {
        securityContext: restrictedPodSecurityContext(),
        terminationGracePeriodSeconds: gracePeriodSeconds(settings.stopSeconds),
        initContainers: NATIVE.map((name) => ({ ...container(name), restartPolicy: "Always" })),
        containers: [container(APP), container(CLASSIC)],
    };
}

export function buildShutdownOrderReplicaSet(
    settings: ShutdownOrderSettings,
    namespace: string,
): pulumi.Unwrap<k8s.types.input.apps.v1.ReplicaSet> {
    const labels = demoPodLabels(COMPONENT);
    return {
        metadata: {
            name: SHUTDOWN_ORDER,
            namespace,
            labels,
            ...(settings.waitForReady ? {} : { annotations: { "pulumi.com/skipAwait": "true" } }),
        },
        spec: {
            replicas: 1,
            selector: { matchLabels: { "app.kubernetes.io/component": COMPONENT } },
            template: { metadata: { labels }, spec: buildShutdownOrderPodSpec(settings) },
        },
    };
}
