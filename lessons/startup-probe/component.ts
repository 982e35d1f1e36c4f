import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { OwnedObjectsLesson, ownedPod } from "../shared/ownedObjects";
import { startupProbeCommands } from "./commands";
import {
    ProbeStyle,
    STARTUP_POD,
    StartupProbeLessonArgs,
    StartupProbeSettings,
    buildStartupProbePod,
    resolveStartupProbeSettings,
} from "./spec";

type Pods = Record<ProbeStyle, k8s.core.v1.Pod>;

/**
 * The lesson and its two Pods, the same native sidecar with a startupProbe in one and a
 * readinessProbe in the other. `pulumi up` waits for both to be Ready (unless `waitForReady` is
 * false): a warm-up later. Pass the provider in `opts`.
 */
export class StartupProbeLesson extends OwnedObjectsLesson<StartupProbeLessonArgs, StartupProbeSettings, Pods> {
    public readonly startupPod: k8s.core.v1.Pod;
    public readonly readinessPod: k8s.core.v1.Pod;

    constructor(name: string = STARTUP_POD, args: StartupProbeLessonArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        super(
            "initsidecarlab:lessons:StartupProbe",
            name,
            args,
            {
                resolve: resolveStartupProbeSettings,
                create: (lesson) => {
                    const pod = (style: ProbeStyle) =>
                        ownedPod(
                            lesson,
                            `${name}-${style}`,
                            pulumi
                                .all([lesson.settings, lesson.namespace])
                                .apply(([s, n]) => buildStartupProbePod(s, style, n)),
                        );
                    return { startup: pod("startup"), readiness: pod("readiness") };
                },
                liveNamespace: (pods) =>
                    pulumi.all([pods.startup.metadata.namespace, pods.readiness.metadata.name]).apply(([n]) => n),
                commands: (target) => startupProbeCommands(target),
            },
            opts,
        );
        this.startupPod = this.objects.startup;
        this.readinessPod = this.objects.readiness;
    }
}
