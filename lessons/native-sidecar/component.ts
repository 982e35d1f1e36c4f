import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { SidecarMode } from "../../components/sidecarDemoPod";
import { OwnedObjectsLesson } from "../shared/ownedObjects";
import { nativeSidecarCommands } from "./commands";
import {
    NATIVE_JOB,
    NativeSidecarLessonArgs,
    NativeSidecarSettings,
    buildSidecarJob,
    resolveNativeSidecarSettings,
} from "./spec";

type Jobs = Record<SidecarMode, k8s.batch.v1.Job>;

/**
 * The lesson and its two Jobs. `pulumi up` waits for the native one to complete (unless
 * `waitForReady` is false) and never for the classic one. Pass the provider in `opts`.
 */
export class NativeSidecarLesson extends OwnedObjectsLesson<NativeSidecarLessonArgs, NativeSidecarSettings, Jobs> {
    public readonly classicJob: k8s.batch.v1.Job;
    public readonly nativeJob: k8s.batch.v1.Job;

    constructor(name: string = NATIVE_JOB, args: NativeSidecarLessonArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        super(
            "initsidecarlab:lessons:NativeSidecar",
            name,
            args,
            {
                resolve: resolveNativeSidecarSettings,
                create: (lesson) => {
                    const timeout = `${lesson.readyTimeoutSeconds}s`;
                    const job = (style: SidecarMode) => {
                        const rendered = pulumi
                            .all([lesson.settings, lesson.namespace])
                            .apply(([s, n]) => buildSidecarJob(s, style, n));
                        return new k8s.batch.v1.Job(
                            `${name}-${style}`,
                            { metadata: rendered.metadata, spec: rendered.spec },
                            {
                                parent: lesson.parent,
                                customTimeouts: { create: timeout, update: timeout },
                                // A Job's Pod template is immutable and its name fixed: the old Job must go first.
                                deleteBeforeReplace: true,
                            },
                        );
                    };
                    return { classic: job("classic"), native: job("native") };
                },
                liveNamespace: (jobs) =>
                    pulumi.all([jobs.native.metadata.namespace, jobs.classic.metadata.name]).apply(([n]) => n),
                commands: nativeSidecarCommands,
            },
            opts,
        );
        this.classicJob = this.objects.classic;
        this.nativeJob = this.objects.native;
    }
}
