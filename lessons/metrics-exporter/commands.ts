import { KubectlTarget, kubectlCommand } from "../../components/kubectlCommands";
import { METRICS_PATH, METRICS_SIDECAR, MetricsExporterSettings } from "./spec";

/** Three ways to scrape: the API server's Pod proxy (what verify does), exec, or a port-forward. */
export function metricsExporterCommands(
    target: KubectlTarget,
    podName: string,
    settings: MetricsExporterSettings,
): Record<string, string> {
    return {
        scrape: kubectlCommand(
            target,
            "get",
            "--raw",
            `/api/v1/namespaces/${target.namespace}/pods/${podName}:${settings.port}/proxy/${METRICS_PATH}`,
        ),
        scrapeInPod: kubectlCommand(
            target,
            "exec",
            podName,
            "-c",
            METRICS_SIDECAR,
            "--",
            "wget",
            "-qO-",
            `http://localhost:${settings.port}/${METRICS_PATH}`,
        ),
        portForward: kubectlCommand(target, "port-forward", `pod/${podName}`, `${settings.port}:${settings.port}`),
    };
}
