import { KubectlTarget, kubectlCommand } from "../../components/kubectlCommands";
import { LessonCommands } from "../shared/lesson";
import { FIX_KEY, FailingInitSettings } from "./spec";

/** `fix` creates the ConfigMap the step looks for; `undo` deletes it (the Pod, once started, stays up). */
export function failingInitCommands(target: KubectlTarget, settings: FailingInitSettings): Record<string, string> {
    return {
        fix: kubectlCommand(target, "create", "configmap", settings.fixConfigMap, `--from-literal=${FIX_KEY}=yes`),
        undo: kubectlCommand(target, "delete", "configmap", settings.fixConfigMap, "--ignore-not-found"),
    };
}

export function failingInitAnnouncement(commands: LessonCommands): string {
    return (
        "Lesson failing-init: the init step fails on purpose; the Pod shows Init:Error, then " +
        `Init:CrashLoopBackOff, and its main container never starts. Watch it: ${String(commands.watch)}  ` +
        `Then fix the step and watch the Pod recover: ${String(commands.fix)}`
    );
}
