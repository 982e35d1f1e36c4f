import * as pulumi from "@pulumi/pulumi";
import { DemoPodArgs, DemoPodSettings, podRenderer, resolvePodSettings } from "../../components/demoPod";
import {
    PodSpec,
    TERMINATION_GRACE_SECONDS,
    demoContainer,
    restrictedPodSecurityContext,
} from "../../components/podDefaults";
import { ArgsOf, SettingsOf } from "../../components/settings";
import {
    LESSON_INTERVAL_SECONDS,
    LOG_DIR,
    LOG_FILE,
    LOG_VOLUME,
    localHttpProbe,
    unprivilegedPort,
} from "../shared/podLesson";
import { countingWriterScript } from "../log-adapter/spec";

/**
 * Lesson "metrics-exporter": the guide's metrics exporter sidecar. The app writes lines
 * to a shared file; the sidecar counts them and serves the count in Prometheus text
 * format: busybox httpd on an unprivileged port, the page a CGI script the sidecar
 * writes into its own emptyDir at start (the root filesystem is read-only).
 */

export const METRICS_POD = "lesson-metrics-exporter";
export const METRICS_APP = "main-container";
export const METRICS_SIDECAR = "metrics-exporter";
export const METRIC_NAME = "app_log_lines_total";
/** busybox httpd runs executables under cgi-bin/ as CGI scripts. */
export const METRICS_PATH = "cgi-bin/metrics";
const WEB_VOLUME = "exporter-www";
const WEB_DIR = "/www";

/** The settings only this lesson takes, beside DEMO_POD_SETTINGS (demoPod.ts). */
export const METRICS_EXPORTER_SETTINGS = {
    port: unprivilegedPort(9102, "exporter serves metrics on"),
    intervalSeconds: LESSON_INTERVAL_SECONDS,
};

/** The lesson's arguments: the demo Pods' and its table's (defaults and rules: METRICS_EXPORTER_SETTINGS). */
export type MetricsExporterLessonArgs = DemoPodArgs & ArgsOf<typeof METRICS_EXPORTER_SETTINGS>;
export type MetricsExporterSettings = DemoPodSettings & SettingsOf<typeof METRICS_EXPORTER_SETTINGS>;

export function resolveMetricsExporterSettings(
    componentName: string,
    args: pulumi.Unwrap<MetricsExporterLessonArgs>,
): MetricsExporterSettings {
    return resolvePodSettings(METRICS_EXPORTER_SETTINGS, componentName, args);
}

/** The CGI script: the app's line count as one Prometheus counter. */
export const METRICS_CGI =
    `#!/bin/sh\n` +
    `n=$(awk 'END { print NR }' ${LOG_FILE} 2>/dev/null)\n` +
    `printf 'Content-Type: text/plain; version=0.0.4\\r\\n\\r\\n'\n` +
    `echo '# HELP ${METRIC_NAME} Lines the app wrote to its log.'\n` +
    `echo '# TYPE ${METRIC_NAME} counter'\n` +
    `echo "${METRIC_NAME} \${n:-0}"\n`;

export function exporterScript(port: number): string {
    return (
        `mkdir -p ${WEB_DIR}/cgi-bin;\n` +
        `cat > ${WEB_DIR}/${METRICS_PATH} <<'EOF'\n${METRICS_CGI}EOF\n` +
        `chmod 755 ${WEB_DIR}/${METRICS_PATH};\n` +
        `echo "Serving ${METRIC_NAME} on :${port}/${METRICS_PATH}";\n` +
        `exec httpd -f -v -p ${port} -h ${WEB_DIR}\n`
    );
}

export function buildMetricsExporterPodSpec(settings: MetricsExporterSettings): PodSpec {
    const logs = { name: LOG_VOLUME, mountPath: LOG_DIR };
    return {
        securityContext: restrictedPodSecurityContext(),
        terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
        volumes: [
            { name: LOG_VOLUME, emptyDir: {} },
            { name: WEB_VOLUME, emptyDir: {} },
        ],
        containers: [
            {
                ...demoContainer(
                    METRICS_APP,
                    settings.image,
                    countingWriterScript("Hello Container", settings.intervalSeconds),
                ),
                volumeMounts: [logs],
            },
            {
                ...demoContainer(METRICS_SIDECAR, settings.image, exporterScript(settings.port)),
                // The exporter only reads the app's log.
                volumeMounts: [
                    { ...logs, readOnly: true },
                    { name: WEB_VOLUME, mountPath: WEB_DIR },
                ],
                ports: [{ name: "metrics", containerPort: settings.port }],
                readinessProbe: localHttpProbe(settings.port, `/${METRICS_PATH}`),
            },
        ],
    };
}

export const renderMetricsExporter = podRenderer(resolveMetricsExporterSettings, {
    spec: buildMetricsExporterPodSpec,
    containers: [METRICS_APP, METRICS_SIDECAR],
    followed: [],
});
