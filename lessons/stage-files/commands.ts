import { KubectlTarget, kubectlCommand } from "../../components/kubectlCommands";
import { STAGE_WEB, StageFilesSettings } from "./spec";

/** Two ways to read the page: through a port-forward (then curl), or from inside the Pod. */
export function stageFilesCommands(
    target: KubectlTarget,
    podName: string,
    settings: StageFilesSettings,
): Record<string, string> {
    return {
        portForward: kubectlCommand(target, "port-forward", `pod/${podName}`, `${settings.port}:${settings.port}`),
        openPage: `curl -s http://localhost:${settings.port}/`,
        readPage: kubectlCommand(
            target,
            "exec",
            podName,
            "-c",
            STAGE_WEB,
            "--",
            "wget",
            "-qO-",
            `http://localhost:${settings.port}/`,
        ),
    };
}
