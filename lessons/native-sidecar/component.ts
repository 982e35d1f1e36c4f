import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { checkDemoPodArgs, componentLabel } from "../../components/demoPod";
import { KubectlTarget } from "../../components/kubectlCommands";
import { SidecarMode } from "../../components/sidecarDemoPod";
import { LessonCommands } from "../shared/lesson";
import { nativeSidecarCommands } from "./commands";
import {
    NATIVE_JOB,
    NativeSidecarLessonArgs,
    NativeSidecarSettings,
    buildSidecarJob,
    resolveNativeSidecarSettings,
} from "./spec";

/**
 * The lesson and its two Jobs. `pulumi up` waits for the native one to complete (unless
 * `waitForReady` is false) and never for the classic one. Pass the provider in `opts`.
 */
export class NativeSidecarLesson extends pulumi.ComponentResource {
    public readonly classicJob: k8s.batch.v1.Job;
    public readonly nativeJob: k8s.batch.v1.Job;
    /** The checked settings both Jobs were built from. */
    public readonly settings: pulumi.Output<NativeSidecarSettings>;
    /** watch, jobs, describe/logs/startedAt for each Job. */
    public readonly commands: pulumi.Output<LessonCommands>;

    constructor(name: string = NATIVE_JOB, args: NativeSidecarLessonArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        const type = "initsidecarlab:lessons:NativeSidecar";
        // Every argument is checked before the lesson registers, as a demo Pod's: a bad one leaves nothing behind.
        const checked = checkDemoPodArgs(componentLabel(type, name), args, resolveNativeSidecarSettings);
        super(type, name, {}, opts);
        const timeout = `${checked.readyTimeoutSeconds}s`;
        const settings = checked.pod.output(this);
        this.settings = settings;
        const ns = checked.namespace.output(this);
        const job = (style: SidecarMode) => {
            const rendered = pulumi.all([settings, ns]).apply(([s, n]) => buildSidecarJob(s, style, n));
            return new k8s.batch.v1.Job(
                `${name}-${style}`,
                { metadata: rendered.metadata, spec: rendered.spec },
                {
                    parent: this,
                    customTimeouts: { create: timeout, update: timeout },
                    // A Job's Pod template is immutable and its name fixed: the old Job must go first.
                    deleteBeforeReplace: true,
                },
            );
        };
        this.classicJob = job("classic");
        this.nativeJob = job("native");
        const target = pulumi
            .all([checked.target.output(this), this.nativeJob.metadata.namespace])
            .apply(([t, liveNamespace]): KubectlTarget => ({ ...t, namespace: liveNamespace }));
        this.commands = pulumi
            .all([target, settings, this.classicJob.metadata.name, this.nativeJob.metadata.name])
            .apply(([t, s]) => nativeSidecarCommands(t, s));
        this.registerOutputs({ commands: this.commands });
    }
}
