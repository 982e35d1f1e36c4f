import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { SidecarMode } from "../../components/sidecarDemoPod";
import { OwnedObjectsLesson, ownedPod } from "../shared/ownedObjects";
import { podRequestsCommands } from "./commands";
import {
    PodRequestsLessonArgs,
    PodRequestsSettings,
    QUOTA,
    buildPodRequestsPod,
    buildPodRequestsQuota,
    resolvePodRequestsSettings,
} from "./spec";

interface Objects {
    quota: k8s.core.v1.ResourceQuota;
    pods: Record<SidecarMode, k8s.core.v1.Pod>;
}

/**
 * The lesson: its two Pods, then the quota that counts them. `pulumi up` waits for both Pods
 * to be Ready unless `waitForReady` is false. Pass the provider in `opts`.
 */
export class PodRequestsLesson extends OwnedObjectsLesson<PodRequestsLessonArgs, PodRequestsSettings, Objects> {
    public readonly quota: k8s.core.v1.ResourceQuota;
    public readonly classicPod: k8s.core.v1.Pod;
    public readonly nativePod: k8s.core.v1.Pod;

    constructor(name: string = QUOTA, args: PodRequestsLessonArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        super(
            "initsidecarlab:lessons:PodRequests",
            name,
            args,
            {
                resolve: resolvePodRequestsSettings,
                create: (lesson) => {
                    const pod = (style: SidecarMode) =>
                        ownedPod(
                            lesson,
                            `${name}-${style}`,
                            pulumi
                                .all([lesson.settings, lesson.namespace])
                                .apply(([s, n]) => buildPodRequestsPod(s, style, n)),
                        );
                    const pods = { classic: pod("classic"), native: pod("native") };
                    const built = lesson.namespace.apply(buildPodRequestsQuota);
                    // After the Pods: the API server refuses a Pod in the scope of a quota it has not
                    // counted yet ("status unknown for quota"), while a new quota counts the Pods there.
                    const quota = new k8s.core.v1.ResourceQuota(
                        name,
                        { metadata: built.metadata, spec: built.spec },
                        { parent: lesson.parent, dependsOn: [pods.classic, pods.native] },
                    );
                    return { quota, pods };
                },
                liveNamespace: ({ pods }) =>
                    pulumi.all([pods.native.metadata.namespace, pods.classic.metadata.name]).apply(([n]) => n),
                commands: (target) => podRequestsCommands(target),
            },
            opts,
        );
        this.quota = this.objects.quota;
        this.classicPod = this.objects.pods.classic;
        this.nativePod = this.objects.pods.native;
    }
}
