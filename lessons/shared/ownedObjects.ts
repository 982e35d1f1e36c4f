import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { PodSpec } from "../../components/podDefaults";

/**
 * What the lessons made of several objects share (startup-probe and pod-requests own two Pods
 * each, shutdown-order a ReplicaSet): the scripts of containers that run until stopped, and
 * the wiring of an object the lesson owns directly.
 */

/** A Pod as a lesson's pure builder returns it: metadata and spec, plain. */
export interface BuiltPod {
    metadata: k8s.types.input.meta.v1.ObjectMeta;
    spec: PodSpec;
}

/**
 * A container script that runs `body`, then keeps running until the kubelet stops it. `sh` as
 * PID 1 ignores SIGTERM unless it traps it, and runs a trap only once its foreground command
 * ends: so the last sleep runs in the background and `wait`, which a trapped signal interrupts,
 * lets `onTerm` (a command, or a function `body` defines) run at once.
 */
export function runUntilStopped(body: string, onTerm = "exit 0"): string {
    // A sleep of 68 years: the container never ends on its own, so its start time stays the first one.
    return `trap '${onTerm}' TERM;\n${body}sleep 2147483647 &\nwait\n`;
}

/**
 * One Pod a lesson owns directly. Its spec is immutable and its name fixed, so a change
 * deletes it before creating the new one; `pulumi up` waits for it as long as `timeoutSeconds`
 * (unless its metadata says `pulumi.com/skipAwait`).
 */
export function ownedPod(
    parent: pulumi.ComponentResource,
    resourceName: string,
    built: pulumi.Output<BuiltPod>,
    timeoutSeconds: number,
    opts: pulumi.CustomResourceOptions = {},
): k8s.core.v1.Pod {
    const timeout = `${timeoutSeconds}s`;
    return new k8s.core.v1.Pod(
        resourceName,
        { metadata: built.metadata, spec: built.spec },
        { ...opts, parent, customTimeouts: { create: timeout, update: timeout }, deleteBeforeReplace: true },
    );
}
