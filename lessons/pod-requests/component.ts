import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { checkDemoPodArgs, componentLabel } from "../../components/demoPod";
import { KubectlTarget } from "../../components/kubectlCommands";
import { SidecarMode } from "../../components/sidecarDemoPod";
import { LessonCommands } from "../shared/lesson";
import { ownedPod } from "../shared/ownedObjects";
import { podRequestsCommands } from "./commands";
import {
    PodRequestsLessonArgs,
    PodRequestsSettings,
    QUOTA,
    buildPodRequestsPod,
    buildPodRequestsQuota,
    resolvePodRequestsSettings,
} from "./spec";

/**
 * The lesson: its quota, then its two Pods (the quota counts them at admission). `pulumi up`
 * waits for both Pods to be Ready unless `waitForReady` is false. Pass the provider in `opts`.
 */
export class PodRequestsLesson extends pulumi.ComponentResource {
    public readonly quota: k8s.core.v1.ResourceQuota;
    public readonly classicPod: k8s.core.v1.Pod;
    public readonly nativePod: k8s.core.v1.Pod;
    /** The checked settings the Pods and the quota were built from. */
    public readonly settings: pulumi.Output<PodRequestsSettings>;
    /** watch, requests, describeNode, quota. */
    public readonly commands: pulumi.Output<LessonCommands>;

    constructor(name: string = QUOTA, args: PodRequestsLessonArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        const type = "initsidecarlab:lessons:PodRequests";
        // Every argument is checked before the lesson registers: a bad one leaves nothing behind.
        const checked = checkDemoPodArgs(componentLabel(type, name), args, resolvePodRequestsSettings);
        super(type, name, {}, opts);
        const settings = checked.pod.output(this);
        this.settings = settings;
        const ns = checked.namespace.output(this);
        const quota = pulumi.all([settings, ns]).apply(([s, n]) => buildPodRequestsQuota(s, n));
        this.quota = new k8s.core.v1.ResourceQuota(
            name,
            { metadata: quota.metadata, spec: quota.spec },
            { parent: this },
        );
        const pod = (style: SidecarMode) =>
            ownedPod(
                this,
                `${name}-${style}`,
                pulumi.all([settings, ns]).apply(([s, n]) => buildPodRequestsPod(s, style, n)),
                checked.readyTimeoutSeconds,
                { dependsOn: [this.quota] },
            );
        this.classicPod = pod("classic");
        this.nativePod = pod("native");
        const target = pulumi
            .all([checked.target.output(this), this.nativePod.metadata.namespace])
            .apply(([t, liveNamespace]): KubectlTarget => ({ ...t, namespace: liveNamespace }));
        this.commands = pulumi.all([target, this.classicPod.metadata.name]).apply(([t]) => podRequestsCommands(t));
        this.registerOutputs({ commands: this.commands });
    }
}
