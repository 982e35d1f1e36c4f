import { KubectlTarget, kubectlCommand } from "../../components/kubectlCommands";
import { LessonCommands } from "../shared/lesson";
import { WaitForServiceSettings } from "./spec";

/** `createService` is what the Pod waits for; `deleteService` resets the lesson for a new Pod. */
export function waitForServiceCommands(
    target: KubectlTarget,
    settings: WaitForServiceSettings,
): Record<string, string> {
    return {
        createService: kubectlCommand(target, "create", "service", "clusterip", settings.serviceName, "--tcp=80:80"),
        deleteService: kubectlCommand(target, "delete", "service", settings.serviceName, "--ignore-not-found"),
    };
}

export function waitForServiceAnnouncement(commands: LessonCommands): string {
    return (
        "Lesson wait-for-service: the Pod stays Init:0/1 until its Service exists. " +
        `Watch it: ${String(commands.watch)}  Then create the Service: ${String(commands.createService)}`
    );
}
