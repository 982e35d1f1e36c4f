import * as pulumi from "@pulumi/pulumi";
import { DemoPodArgs, DemoPodSettings, podRenderer, resolvePodSettings } from "../../components/demoPod";
import {
    PodSpec,
    TERMINATION_GRACE_SECONDS,
    demoContainer,
    restrictedPodSecurityContext,
} from "../../components/podDefaults";
import { ArgsOf, SettingsOf } from "../../components/settings";
import { SIDECAR_DEMO_POD_SETTINGS } from "../../components/sidecarDemoPod";
import { LESSON_INTERVAL_SECONDS, LOG_DIR, LOG_FILE, LOG_VOLUME } from "../shared/podLesson";

/**
 * Lesson "log-adapter": the guide's adapter sidecar. The app writes plain lines to a
 * shared file, as in the guide; the sidecar rewrites each line into one JSON object with
 * a timestamp, the shape a log pipeline ingests, without touching the app.
 */

export const ADAPTER_POD = "lesson-log-adapter";
export const ADAPTER_APP = "main-container";
export const ADAPTER_SIDECAR = "log-adapter";

/** The settings only this lesson takes, beside DEMO_POD_SETTINGS (demoPod.ts). */
export const LOG_ADAPTER_SETTINGS = {
    // The guide's app line, as the sidecar demo Pod takes it; the lesson adds a counter.
    message: { ...SIDECAR_DEMO_POD_SETTINGS.message, description: "The line the app writes, followed by a counter." },
    intervalSeconds: LESSON_INTERVAL_SECONDS,
};

/** The lesson's arguments: the demo Pods' and its table's (defaults and rules: LOG_ADAPTER_SETTINGS). */
export type LogAdapterLessonArgs = DemoPodArgs & ArgsOf<typeof LOG_ADAPTER_SETTINGS>;
export type LogAdapterSettings = DemoPodSettings & SettingsOf<typeof LOG_ADAPTER_SETTINGS>;

export function resolveLogAdapterSettings(
    componentName: string,
    args: pulumi.Unwrap<LogAdapterLessonArgs>,
): LogAdapterSettings {
    return resolvePodSettings(LOG_ADAPTER_SETTINGS, componentName, args);
}

/** The app: the guide's writer, with a counter so each line differs. */
export function countingWriterScript(message: string, intervalSeconds: number): string {
    return (
        `i=1;\nwhile true; do\n  echo "${message} $i" >> ${LOG_FILE};\n  i=$((i+1));\n` +
        `  sleep ${intervalSeconds};\ndone\n`
    );
}

/**
 * The adapter: follows the file (-F: also across a re-created file) and prints each line
 * as `{"time":"<UTC>","source":"main-container","message":"<line>"}`, escaping `\` and `"`.
 */
export const ADAPTER_SCRIPT =
    `touch ${LOG_FILE};\n` +
    `tail -F ${LOG_FILE} | while IFS= read -r line; do\n` +
    `  escaped=$(printf '%s' "$line" | sed 's/\\\\/\\\\\\\\/g; s/"/\\\\"/g');\n` +
    `  printf '{"time":"%s","source":"${ADAPTER_APP}","message":"%s"}\\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$escaped";\n` +
    `done\n`;

export function buildLogAdapterPodSpec(settings: LogAdapterSettings): PodSpec {
    const volumeMounts = [{ name: LOG_VOLUME, mountPath: LOG_DIR }];
    return {
        securityContext: restrictedPodSecurityContext(),
        terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
        volumes: [{ name: LOG_VOLUME, emptyDir: {} }],
        containers: [
            {
                ...demoContainer(
                    ADAPTER_APP,
                    settings.image,
                    countingWriterScript(settings.message, settings.intervalSeconds),
                ),
                volumeMounts,
            },
            { ...demoContainer(ADAPTER_SIDECAR, settings.image, ADAPTER_SCRIPT), volumeMounts },
        ],
    };
}

export const renderLogAdapter = podRenderer(resolveLogAdapterSettings, {
    spec: buildLogAdapterPodSpec,
    containers: [ADAPTER_APP, ADAPTER_SIDECAR],
    followed: [ADAPTER_SIDECAR],
});
