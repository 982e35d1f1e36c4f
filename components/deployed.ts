import { InitDemoPodSettings } from "./initDemoPod";
import { SidecarDemoPodSettings } from "./sidecarDemoPod";

/**
 * The stack's `deployed` output: the checked settings every Pod and lesson was built from, so a
 * reader that checks them (verify, classroom verify) expects what was deployed, not the defaults.
 * None is secret: names, images, delays, intervals, messages, paths.
 */

/** Bumped when the shape changes, so a reader can tell an output it does not understand. */
export const DEPLOYED_VERSION = 1;

export interface DeployedLab {
    version: typeof DEPLOYED_VERSION;
    /** The init Pod's settings; its steps by name (their scripts are in the Pod spec). */
    initPod: Omit<InitDemoPodSettings, "initSteps"> & { initSteps: string[] };
    sidecarPod: SidecarDemoPodSettings;
    /** Each deployed lesson's checked settings, by lesson name. */
    lessons: Record<string, object>;
}

export function deployedLab(
    initPod: InitDemoPodSettings,
    sidecarPod: SidecarDemoPodSettings,
    lessons: Record<string, object>,
): DeployedLab {
    return {
        version: DEPLOYED_VERSION,
        initPod: { ...initPod, initSteps: initPod.initSteps.map((step) => step.name) },
        sidecarPod,
        lessons,
    };
}
