import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import {
    DEMO_POD_SETTINGS,
    DemoPodArgs,
    DemoPodSettings,
    checkDemoPodArgs,
    componentLabel,
} from "../../components/demoPod";
import { KubectlTarget } from "../../components/kubectlCommands";
import { PodSpec } from "../../components/podDefaults";
import { ArgsOf, SettingsOf, SettingsTable, resolveSetting, resolveSettings } from "../../components/settings";
import { LessonCommands } from "./lesson";

/**
 * The lessons made of several objects (native-sidecar's two Jobs, startup-probe's two Pods,
 * shutdown-order's ReplicaSet, pod-requests' quota and two Pods): their arguments, the
 * component they are, and the parts their objects share.
 */

/** Their arguments: the demo Pods' but `podName` (they name their objects), and their table's. */
export type OwnedObjectsArgs<T extends SettingsTable> = Omit<DemoPodArgs, "podName"> & ArgsOf<T>;
/** Their settings: their table's, the image and the await switch. */
export type OwnedObjectsSettings<T extends SettingsTable> = Omit<DemoPodSettings, "podName"> & SettingsOf<T>;

export function resolveOwnedObjectsSettings<T extends SettingsTable>(
    table: T,
    args: { readonly [K in keyof T]?: unknown } & { image?: unknown; waitForReady?: unknown },
): OwnedObjectsSettings<T> {
    return {
        ...resolveSettings(table, args),
        image: resolveSetting(DEMO_POD_SETTINGS.image, "image", args.image),
        waitForReady: resolveSetting(DEMO_POD_SETTINGS.waitForReady, "waitForReady", args.waitForReady),
    };
}

/** What a lesson's objects are made from, once its arguments are checked. */
export interface OwnedObjectsContext<S> {
    /** The lesson: every object's parent. */
    parent: pulumi.ComponentResource;
    settings: pulumi.Output<S>;
    namespace: pulumi.Output<string>;
    /** How long `pulumi up` waits for an object (a resource option, so known now). */
    readyTimeoutSeconds: number;
}

/** How one lesson of several objects makes them and its commands. */
export interface OwnedObjectsDefinition<A, S, O> {
    resolve: (plain: pulumi.Unwrap<A>) => S;
    create: (context: OwnedObjectsContext<S>) => O;
    /** The namespace the objects live in, read from them: the commands exist once they do. */
    liveNamespace: (objects: O) => pulumi.Output<string>;
    commands: (target: KubectlTarget, settings: S) => LessonCommands;
}

/**
 * A lesson of several objects: one component that checks every argument before it registers (a
 * bad one leaves nothing behind, as with a demo Pod), owns its objects directly, and exports its
 * commands. Pass the provider in `opts`.
 */
export abstract class OwnedObjectsLesson<A extends Omit<DemoPodArgs, "podName">, S, O>
    extends pulumi.ComponentResource
{
    /** The checked settings its objects were built from. */
    public readonly settings: pulumi.Output<S>;
    /** What its commands are, pointed at the live namespace. */
    public readonly commands: pulumi.Output<LessonCommands>;
    /** Its objects, as its definition's `create` returned them. */
    protected readonly objects: O;

    protected constructor(
        type: string,
        name: string,
        args: A,
        lesson: OwnedObjectsDefinition<A, S, O>,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        const checked = checkDemoPodArgs(componentLabel(type, name), args, lesson.resolve);
        super(type, name, {}, opts);
        this.settings = checked.pod.output(this);
        this.objects = lesson.create({
            parent: this,
            settings: this.settings,
            namespace: checked.namespace.output(this),
            readyTimeoutSeconds: checked.readyTimeoutSeconds,
        });
        const target = pulumi
            .all([checked.target.output(this), lesson.liveNamespace(this.objects)])
            .apply(([t, liveNamespace]): KubectlTarget => ({ ...t, namespace: liveNamespace }));
        this.commands = pulumi.all([target, this.settings]).apply(([t, s]) => lesson.commands(t, s as S));
        this.registerOutputs({ commands: this.commands });
    }
}

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
 * deletes it before creating the new one; `pulumi up` waits for it as long as the lesson's
 * `readyTimeoutSeconds` (unless its metadata says `pulumi.com/skipAwait`).
 */
export function ownedPod<S>(
    lesson: OwnedObjectsContext<S>,
    resourceName: string,
    built: pulumi.Output<BuiltPod>,
    opts: pulumi.CustomResourceOptions = {},
): k8s.core.v1.Pod {
    const timeout = `${lesson.readyTimeoutSeconds}s`;
    return new k8s.core.v1.Pod(
        resourceName,
        { metadata: built.metadata, spec: built.spec },
        {
            ...opts,
            parent: lesson.parent,
            customTimeouts: { create: timeout, update: timeout },
            deleteBeforeReplace: true,
        },
    );
}
