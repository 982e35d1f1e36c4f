import * as pulumi from "@pulumi/pulumi";
import { DemoPodArgs, DemoPodSettings, podRenderer, resolvePodSettings } from "../../components/demoPod";
import {
    PodSpec,
    TERMINATION_GRACE_SECONDS,
    demoContainer,
    restrictedPodSecurityContext,
} from "../../components/podDefaults";
import { ArgsOf, SettingsOf, setting } from "../../components/settings";
import { shellSafeText } from "../../components/validation";
import { localHttpProbe, unprivilegedPort } from "../shared/podLesson";

/**
 * Lesson "stage-files": the guide's "pre-populate app assets into a shared volume". An
 * init step writes a page into an emptyDir; the app, busybox httpd as a non-root user on
 * an unprivileged port, serves it. The page says which init container wrote it, in which
 * Pod and when, so reading it shows the files came from the init step.
 */

export const STAGE_POD = "lesson-stage-files";
export const STAGE_STEP = "stage-site";
export const STAGE_WEB = "web";
const SITE_VOLUME = "site";
const SITE_DIR = "/site";

/** The settings only this lesson takes, beside DEMO_POD_SETTINGS (demoPod.ts). */
export const STAGE_FILES_SETTINGS = {
    port: unprivilegedPort(8080, "web server listens on"),
    title: setting({
        type: "string",
        default: "Staged by an init container",
        example: "Staged by an init container",
        description: "The page's heading.",
        check: shellSafeText,
    }),
};

/** The lesson's arguments: the demo Pods' and its table's (defaults and rules: STAGE_FILES_SETTINGS). */
export type StageFilesLessonArgs = DemoPodArgs & ArgsOf<typeof STAGE_FILES_SETTINGS>;
export type StageFilesSettings = DemoPodSettings & SettingsOf<typeof STAGE_FILES_SETTINGS>;

export function resolveStageFilesSettings(
    componentName: string,
    args: pulumi.Unwrap<StageFilesLessonArgs>,
): StageFilesSettings {
    return resolvePodSettings(STAGE_FILES_SETTINGS, componentName, args);
}

/** The sentence the page carries; verify looks for it, with the Pod's name (its hostname). */
export function stagedBySentence(podName: string): string {
    return `Written by init container ${STAGE_STEP} in Pod ${podName}`;
}

/** The page's heading; verify looks for the deployed title in it. */
export function pageHeading(title: string): string {
    return `<h1>${title}</h1>`;
}

export function stageScript(title: string): string {
    return (
        `echo "<html><body>${pageHeading(title)}<p>${stagedBySentence("$(hostname)")} at $(date -u +%Y-%m-%dT%H:%M:%SZ).</p></body></html>" > ${SITE_DIR}/index.html;\n` +
        `echo "Staged ${SITE_DIR}/index.html:";\ncat ${SITE_DIR}/index.html\n`
    );
}

export function webScript(port: number): string {
    return `echo "Serving ${SITE_DIR} on port ${port}";\nexec httpd -f -v -p ${port} -h ${SITE_DIR}\n`;
}

export function buildStageFilesPodSpec(settings: StageFilesSettings): PodSpec {
    return {
        securityContext: restrictedPodSecurityContext(),
        terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
        volumes: [{ name: SITE_VOLUME, emptyDir: {} }],
        initContainers: [
            {
                ...demoContainer(STAGE_STEP, settings.image, stageScript(settings.title)),
                volumeMounts: [{ name: SITE_VOLUME, mountPath: SITE_DIR }],
            },
        ],
        containers: [
            {
                ...demoContainer(STAGE_WEB, settings.image, webScript(settings.port)),
                // The app only reads what the init step staged.
                volumeMounts: [{ name: SITE_VOLUME, mountPath: SITE_DIR, readOnly: true }],
                ports: [{ name: "http", containerPort: settings.port }],
                readinessProbe: localHttpProbe(settings.port, "/"),
            },
        ],
    };
}

export const renderStageFiles = podRenderer(resolveStageFilesSettings, {
    spec: buildStageFilesPodSpec,
    containers: [STAGE_STEP, STAGE_WEB],
    followed: [STAGE_WEB],
});
