import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { checkImage, readyTimeoutSeconds, resolveNamespace } from "../demoPod";
import { explainInvalid, resolveArgs } from "../inputs";
import { KubectlTarget, kubectlCommand } from "../kubectlCommands";
import {
    DEFAULT_IMAGE,
    PodSpec,
    TERMINATION_GRACE_SECONDS,
    demoContainer,
    demoPodLabels,
    restrictedPodSecurityContext,
} from "../podDefaults";
import { booleanValue, dnsLabel, integerInRange } from "../validation";
import { LessonCommands, commandTarget } from "./lessonPod";
import { SettingsOf, distinctNames, resolveLessonSettings } from "./settings";

/**
 * Lesson "native-sidecar": what Kubernetes 1.29's native sidecars change in the
 * guide's comparison ("start timing", "lifetime"). Two Jobs run the same app, which
 * writes a few lines and exits, beside the same log tailer:
 * - classic: the tailer is a second container, so the Pod keeps running after the
 *   app exits and the Job never completes;
 * - native: the tailer is an init container with `restartPolicy: Always`, so it is
 *   running before the app starts, is stopped after the app exits, and the Job completes.
 */

export const CLASSIC_JOB = "lesson-classic-sidecar";
export const NATIVE_JOB = "lesson-native-sidecar";
export const NATIVE_APP_CONTAINER = "app";
export const NATIVE_SIDECAR_CONTAINER = "sidecar";
const LOG_DIR = "/var/log/app";
const LOG_FILE = `${LOG_DIR}/app.log`;
const LOG_VOLUME = "shared-logs";
const COMPONENT = "lesson-native-sidecar";

export const NATIVE_SIDECAR_SETTINGS = {
    classicJobName: {
        default: CLASSIC_JOB,
        check: (field: string, value: unknown) => dnsLabel(field, value, CLASSIC_JOB),
        example: CLASSIC_JOB,
        description: "The Job whose tailer is a second container: it never completes.",
    },
    nativeJobName: {
        default: NATIVE_JOB,
        check: (field: string, value: unknown) => dnsLabel(field, value, NATIVE_JOB),
        example: NATIVE_JOB,
        description: "The Job whose tailer is a native sidecar: it completes once the app exits.",
    },
    lines: {
        default: 3,
        check: (field: string, value: unknown) => integerInRange(field, value, 1, 100, 3),
        example: "3",
        description: "Lines the app writes before it exits (1-100).",
    },
    intervalSeconds: {
        default: 2,
        check: (field: string, value: unknown) => integerInRange(field, value, 1, 60, 2),
        example: "2",
        description: "Seconds between two of the app's lines (1-60).",
    },
};

export interface NativeSidecarLessonArgs {
    /** Namespace of both Jobs. Default: `"default"`. */
    namespace?: pulumi.Input<string>;
    /** Image of every container. Default: {@link DEFAULT_IMAGE}. */
    image?: pulumi.Input<string>;
    /** Whether `pulumi up` waits for the native Job to complete. Default: `true`. The classic one never does. */
    waitForReady?: pulumi.Input<boolean>;
    /** How long `pulumi up` waits for the native Job, in seconds. Default: 180. */
    readyTimeoutSeconds?: number;
    /** The classic Job's name. Default: `"lesson-classic-sidecar"`. */
    classicJobName?: pulumi.Input<string>;
    /** The native Job's name. Default: `"lesson-native-sidecar"`. */
    nativeJobName?: pulumi.Input<string>;
    /** Lines the app writes before it exits. Default: 3. */
    lines?: pulumi.Input<number>;
    /** Seconds between two lines. Default: 2. */
    intervalSeconds?: pulumi.Input<number>;
    /** Kube context the exported commands name. Default: kubectl's current one. */
    kubeContext?: pulumi.Input<string>;
    /** Kubeconfig file the exported commands name. Default: kubectl's default. */
    kubeconfigPath?: pulumi.Input<string>;
}

export type NativeSidecarSettings = SettingsOf<typeof NATIVE_SIDECAR_SETTINGS> & {
    image: string;
    waitForReady: boolean;
};

export function resolveNativeSidecarSettings(args: pulumi.Unwrap<NativeSidecarLessonArgs>): NativeSidecarSettings {
    const settings = {
        ...resolveLessonSettings(NATIVE_SIDECAR_SETTINGS, args),
        image: checkImage("image", args.image ?? DEFAULT_IMAGE),
        waitForReady: booleanValue("waitForReady", args.waitForReady ?? true),
    };
    distinctNames({ classicJobName: settings.classicJobName, nativeJobName: settings.nativeJobName });
    return settings;
}

/** The app: a few lines to stdout and to the shared file, then exit 0. */
export function appScript(lines: number, intervalSeconds: number): string {
    return (
        `i=1;\nwhile [ $i -le ${lines} ]; do\n  echo "app line $i of ${lines}" | tee -a ${LOG_FILE};\n` +
        `  i=$((i+1));\n  sleep ${intervalSeconds};\ndone;\necho "app done, exiting 0"\n`
    );
}

/**
 * The tailer: streams the shared file. `sh` as PID 1 ignores SIGTERM unless it traps it;
 * trapping it lets the kubelet's stop end the sidecar with exit 0 rather than a kill.
 */
export const SIDECAR_SCRIPT = `trap "exit 0" TERM;\ntouch ${LOG_FILE};\ntail -f ${LOG_FILE} &\nwait\n`;

export type SidecarStyle = "classic" | "native";

/** The Job's Pod: the app plus the tailer, as a second container (classic) or a native sidecar. */
export function buildSidecarJobPodSpec(settings: NativeSidecarSettings, style: SidecarStyle): PodSpec {
    const volumeMounts = [{ name: LOG_VOLUME, mountPath: LOG_DIR }];
    const app = {
        ...demoContainer(NATIVE_APP_CONTAINER, settings.image, appScript(settings.lines, settings.intervalSeconds)),
        volumeMounts,
    };
    const sidecar = { ...demoContainer(NATIVE_SIDECAR_CONTAINER, settings.image, SIDECAR_SCRIPT), volumeMounts };
    const common = {
        restartPolicy: "Never",
        securityContext: restrictedPodSecurityContext(),
        terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
        volumes: [{ name: LOG_VOLUME, emptyDir: {} }],
    };
    return style === "native"
        ? { ...common, initContainers: [{ ...sidecar, restartPolicy: "Always" }], containers: [app] }
        : { ...common, containers: [app, sidecar] };
}

export function buildSidecarJob(
    settings: NativeSidecarSettings,
    style: SidecarStyle,
    namespace: string,
): pulumi.Unwrap<k8s.types.input.batch.v1.Job> {
    const labels = { ...demoPodLabels(COMPONENT), "init-sidecar-lab/sidecar-style": style };
    // The classic Job never completes: waiting for it would hang `pulumi up`.
    const skipAwait = style === "classic" || !settings.waitForReady;
    return {
        metadata: {
            name: style === "native" ? settings.nativeJobName : settings.classicJobName,
            namespace,
            labels,
            ...(skipAwait ? { annotations: { "pulumi.com/skipAwait": "true" } } : {}),
        },
        spec: {
            // One run is the lesson: a retry would only blur the timestamps.
            backoffLimit: 0,
            template: { metadata: { labels }, spec: buildSidecarJobPodSpec(settings, style) },
        },
    };
}

export function nativeSidecarCommands(target: KubectlTarget, settings: NativeSidecarSettings): LessonCommands {
    const selector = `app.kubernetes.io/component=${COMPONENT}`;
    const startedAt = (job: string) =>
        kubectlCommand(
            target,
            "get",
            "pods",
            "-l",
            `job-name=${job}`,
            "-o",
            "custom-columns=POD:.metadata.name,PHASE:.status.phase," +
                "INIT_CONTAINERS_STARTED:.status.initContainerStatuses[*].state.*.startedAt," +
                "CONTAINERS_STARTED:.status.containerStatuses[*].state.*.startedAt",
        );
    const job = (name: string) => ({
        describe: kubectlCommand(target, "describe", "job", name),
        logs: {
            [NATIVE_APP_CONTAINER]: kubectlCommand(target, "logs", `job/${name}`, "-c", NATIVE_APP_CONTAINER),
            [NATIVE_SIDECAR_CONTAINER]: kubectlCommand(target, "logs", `job/${name}`, "-c", NATIVE_SIDECAR_CONTAINER),
        },
        startedAt: startedAt(name),
    });
    const classic = job(settings.classicJobName);
    const native = job(settings.nativeJobName);
    return {
        watch: kubectlCommand(target, "get", "pods", "-l", selector, "-w"),
        jobs: kubectlCommand(target, "get", "jobs", "-l", selector),
        describeClassic: classic.describe,
        describeNative: native.describe,
        logsClassic: classic.logs,
        logsNative: native.logs,
        startedAtClassic: classic.startedAt,
        startedAtNative: native.startedAt,
    };
}

/**
 * The lesson's two Jobs. `pulumi up` waits for the native one to complete (unless
 * `waitForReady` is false) and never for the classic one. Pass the provider in `opts`.
 */
export class NativeSidecarLesson extends pulumi.ComponentResource {
    public readonly classicJob: k8s.batch.v1.Job;
    public readonly nativeJob: k8s.batch.v1.Job;
    /** watch, jobs, describe/logs/startedAt for each Job. */
    public readonly commands: pulumi.Output<LessonCommands>;

    constructor(name: string = NATIVE_JOB, args: NativeSidecarLessonArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        super("initsidecarlab:lessons:NativeSidecar", name, {}, opts);
        const label = `NativeSidecar "${name}"`;
        const timeout = `${explainInvalid(this, label, () => readyTimeoutSeconds(args.readyTimeoutSeconds))}s`;
        const { namespace, kubeContext, kubeconfigPath, ...jobArgs } = args;
        const settings = resolveArgs(this, label, jobArgs, resolveNativeSidecarSettings);
        const ns = resolveArgs(this, label, { namespace }, resolveNamespace);
        const job = (style: SidecarStyle) => {
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
        const target = commandTarget(this, label, { kubeContext, kubeconfigPath }, this.nativeJob.metadata.namespace);
        this.commands = pulumi
            .all([target, settings, this.classicJob.metadata.name, this.nativeJob.metadata.name])
            .apply(([t, s]) => nativeSidecarCommands(t, s));
        this.registerOutputs({ commands: this.commands });
    }
}
