import type { V1Pod } from "@kubernetes/client-node";
import { SettingsOf } from "../../components/settings";
import { LessonSpec } from "../shared/reader";
import { judgeStartupProbe } from "./judge";
import { READINESS_POD, STARTUP_POD, STARTUP_PROBE_SETTINGS } from "./spec";

/** What the judge reads: both Pods. */
export interface StartupProbeInputs {
    startup: V1Pod | undefined;
    readiness: V1Pod | undefined;
}

/** The lesson as a verify check. */
export function startupProbeCheck(
    _now: () => number,
    settings: SettingsOf<typeof STARTUP_PROBE_SETTINGS>,
): LessonSpec<StartupProbeInputs> {
    return {
        expected: ["shown"],
        // Each Pod's image pulled, then the warm-up.
        timeoutSeconds: 120 + settings.warmUpSeconds,
        pods: [STARTUP_POD, READINESS_POD],
        read: async (live) => ({
            startup: await live.pod(STARTUP_POD),
            readiness: await live.pod(READINESS_POD),
        }),
        judge: (input, at) => judgeStartupProbe(input.startup, input.readiness, settings.warmUpSeconds, at),
    };
}
