import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { checkDemoPodArgs, componentLabel } from "../../components/demoPod";
import { KubectlTarget } from "../../components/kubectlCommands";
import { LessonCommands } from "../shared/lesson";
import { ownedPod } from "../shared/ownedObjects";
import { startupProbeCommands } from "./commands";
import {
    ProbeStyle,
    STARTUP_POD,
    StartupProbeLessonArgs,
    StartupProbeSettings,
    buildStartupProbePod,
    resolveStartupProbeSettings,
} from "./spec";

/**
 * The lesson and its two Pods, the same native sidecar with a startupProbe in one and a
 * readinessProbe in the other. `pulumi up` waits for both to be Ready (unless `waitForReady` is
 * false): a warm-up later. Pass the provider in `opts`.
 */
export class StartupProbeLesson extends pulumi.ComponentResource {
    public readonly startupPod: k8s.core.v1.Pod;
    public readonly readinessPod: k8s.core.v1.Pod;
    /** The checked settings both Pods were built from. */
    public readonly settings: pulumi.Output<StartupProbeSettings>;
    /** watch, startTimes, and describe/logs for each Pod. */
    public readonly commands: pulumi.Output<LessonCommands>;

    constructor(name: string = STARTUP_POD, args: StartupProbeLessonArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        const type = "initsidecarlab:lessons:StartupProbe";
        // Every argument is checked before the lesson registers: a bad one leaves nothing behind.
        const checked = checkDemoPodArgs(componentLabel(type, name), args, resolveStartupProbeSettings);
        super(type, name, {}, opts);
        const settings = checked.pod.output(this);
        this.settings = settings;
        const ns = checked.namespace.output(this);
        const pod = (style: ProbeStyle) =>
            ownedPod(
                this,
                `${name}-${style}`,
                pulumi.all([settings, ns]).apply(([s, n]) => buildStartupProbePod(s, style, n)),
                checked.readyTimeoutSeconds,
            );
        this.startupPod = pod("startup");
        this.readinessPod = pod("readiness");
        const target = pulumi
            .all([checked.target.output(this), this.startupPod.metadata.namespace])
            .apply(([t, liveNamespace]): KubectlTarget => ({ ...t, namespace: liveNamespace }));
        this.commands = pulumi.all([target, this.readinessPod.metadata.name]).apply(([t]) => startupProbeCommands(t));
        this.registerOutputs({ commands: this.commands });
    }
}
