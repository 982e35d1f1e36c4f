import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { checkDemoPodArgs, componentLabel } from "../../components/demoPod";
import { KubectlTarget } from "../../components/kubectlCommands";
import { LessonCommands } from "../shared/lesson";
import { shutdownOrderCommands } from "./commands";
import {
    SHUTDOWN_ORDER,
    ShutdownOrderLessonArgs,
    ShutdownOrderSettings,
    buildShutdownOrderReplicaSet,
    resolveShutdownOrderSettings,
} from "./spec";

/**
 * The lesson and its ReplicaSet of one Pod, which it replaces each time the learner stops it.
 * `pulumi up` waits for the Pod unless `waitForReady` is false. Pass the provider in `opts`.
 */
export class ShutdownOrderLesson extends pulumi.ComponentResource {
    public readonly replicaSet: k8s.apps.v1.ReplicaSet;
    /** The checked settings the Pod template was built from. */
    public readonly settings: pulumi.Output<ShutdownOrderSettings>;
    /** watch, stop, sigterms, describe. */
    public readonly commands: pulumi.Output<LessonCommands>;

    constructor(
        name: string = SHUTDOWN_ORDER,
        args: ShutdownOrderLessonArgs = {},
        opts?: pulumi.ComponentResourceOptions,
    ) {
        const type = "initsidecarlab:lessons:ShutdownOrder";
        // Every argument is checked before the lesson registers: a bad one leaves nothing behind.
        const checked = checkDemoPodArgs(componentLabel(type, name), args, resolveShutdownOrderSettings);
        super(type, name, {}, opts);
        const timeout = `${checked.readyTimeoutSeconds}s`;
        const settings = checked.pod.output(this);
        this.settings = settings;
        const rendered = pulumi
            .all([settings, checked.namespace.output(this)])
            .apply(([s, n]) => buildShutdownOrderReplicaSet(s, n));
        this.replicaSet = new k8s.apps.v1.ReplicaSet(
            name,
            { metadata: rendered.metadata, spec: rendered.spec },
            {
                parent: this,
                customTimeouts: { create: timeout, update: timeout },
                // A ReplicaSet leaves its running Pod as it is when its template changes: replacing it
                // (its name fixed, so the old one goes first) replaces the Pod with the new template.
                replaceOnChanges: ["spec"],
                deleteBeforeReplace: true,
            },
        );
        const target = pulumi
            .all([checked.target.output(this), this.replicaSet.metadata.namespace])
            .apply(([t, liveNamespace]): KubectlTarget => ({ ...t, namespace: liveNamespace }));
        this.commands = target.apply((t) => shutdownOrderCommands(t));
        this.registerOutputs({ commands: this.commands });
    }
}
