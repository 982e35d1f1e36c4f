import type { V1Pod } from "@kubernetes/client-node";
import { Fetched, LessonSpec, isReady } from "../shared/reader";
import { judgeMetricsExporter } from "./judge";
import { METRICS_EXPORTER_SETTINGS, METRICS_PATH, METRICS_POD, METRICS_SIDECAR } from "./spec";
import { SettingsOf } from "../../components/settings";

/** What the judge reads: the Pod, and two scrapes `secondsApart` once it is Ready. */
export interface MetricsExporterInputs {
    pod: V1Pod | undefined;
    scrapes?: [Fetched, Fetched];
    secondsApart: number;
}

/** The lesson as a verify check, made afresh for each run: it keeps its first scrape; `now` times the scrapes. */
export function metricsExporterCheck(
    now: () => number,
    settings: SettingsOf<typeof METRICS_EXPORTER_SETTINGS>,
): LessonSpec<MetricsExporterInputs> {
    const { port, intervalSeconds } = settings;
    // Two scrapes more than one of the app's intervals apart, over the runner's polls (no sleep here):
    // the first good one is kept, and compared with the latest.
    const apart = intervalSeconds + 1;
    let first: { page: Fetched; at: number } | undefined;
    return {
        expected: ["counting"],
        timeoutSeconds: 140 + 5 * intervalSeconds,
        pods: [METRICS_POD],
        read: async (live) => {
            const pod = await live.pod(METRICS_POD);
            if (!isReady(pod)) {
                first = undefined;
                return { pod, secondsApart: 0 };
            }
            const page = await live.fetch(METRICS_POD, METRICS_SIDECAR, port, METRICS_PATH);
            const at = now();
            // The judge says why a scrape failed; the next good one starts the count again.
            if (!page.ok) {
                first = undefined;
                return { pod, scrapes: [page, page], secondsApart: 0 };
            }
            first ??= { page, at };
            const secondsApart = Math.round((at - first.at) / 1000);
            return { pod, scrapes: secondsApart >= apart ? [first.page, page] : undefined, secondsApart };
        },
        judge: (input) => judgeMetricsExporter(input.pod, METRICS_POD, input.scrapes, input.secondsApart),
    };
}
