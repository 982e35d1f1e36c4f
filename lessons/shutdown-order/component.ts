import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { OwnedObjectsLesson } from "../shared/ownedObjects";
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
export class ShutdownOrderLesson extends OwnedObjectsLesson<
    ShutdownOrderLessonArgs,
    ShutdownOrderSettings,
    k8s.apps.v1.ReplicaSet
> {
    public readonly replicaSet: k8s.apps.v1.ReplicaSet;

    constructor(
        name: string = SHUTDOWN_ORDER,
        args: ShutdownOrderLessonArgs = {},
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super(
            "initsidecarlab:lessons:ShutdownOrder",
            name,
            args,
            {
                resolve: resolveShutdownOrderSettings,
                create: (lesson) => {
                    const timeout = `${lesson.readyTimeoutSeconds}s`;
                    const built = pulumi
                        .all([lesson.settings, lesson.namespace])
                        .apply(([s, n]) => buildShutdownOrderReplicaSet(s, n));
                    return new k8s.apps.v1.ReplicaSet(
                        name,
                        { metadata: built.metadata, spec: built.spec },
                        {
                            parent: lesson.parent,
                            customTimeouts: { create: timeout, update: timeout },
                            // A ReplicaSet leaves its running Pod as it is when its template changes: replacing
                            // it (its name fixed, so the old one goes first) replaces the Pod too.
                            replaceOnChanges: ["spec"],
                            deleteBeforeReplace: true,
                        },
                    );
                },
                liveNamespace: (replicaSet) => replicaSet.metadata.namespace,
                commands: (target) => shutdownOrderCommands(target),
            },
            opts,
        );
        this.replicaSet = this.objects;
    }
}
