import type { V1Pod } from "@kubernetes/client-node";
import { describeState } from "../../verify/model";
import { LessonVerdict, fail, missing, pass, statusOf } from "../shared/judge";
import { Fetched } from "../shared/reader";
import { METRICS_SIDECAR, METRIC_NAME } from "./spec";

/** The value of a counter in Prometheus text format, or why there is none. */
export function parseCounter(text: string, name: string): number | string {
    if (!new RegExp(`^# TYPE ${name} counter$`, "m").test(text)) return `no "# TYPE ${name} counter" line`;
    const sample = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)`, "m").exec(text);
    const value = sample ? Number(sample[1]) : NaN;
    return Number.isFinite(value) ? value : `no numeric ${name} sample`;
}

/**
 * metrics-exporter: "counting" when two scrapes `secondsApart` show the counter of the
 * app's lines, in Prometheus text format, and the second is larger.
 */
export function judgeMetricsExporter(
    pod: V1Pod | undefined,
    podName: string,
    scrapes: [Fetched, Fetched] | undefined,
    secondsApart: number,
): LessonVerdict {
    if (!pod) return missing("Pod", podName);
    const sidecar = statusOf(pod, METRICS_SIDECAR);
    if (!sidecar?.ready) {
        return fail("starting", `Pod ${podName}: the exporter is ${describeState(sidecar?.state)}, not Ready.`);
    }
    if (!scrapes) {
        return fail(
            "starting",
            `Pod ${podName}: the exporter is Ready; verify scrapes it again a few seconds later to see the count grow.`,
        );
    }
    const values: number[] = [];
    for (const scrape of scrapes) {
        if (!scrape.ok) return fail("unreachable", `Pod ${podName}: the metrics could not be scraped: ${scrape.error}`);
        const value = parseCounter(scrape.body, METRIC_NAME);
        if (typeof value === "string") return fail("wrong-format", `Pod ${podName}: the scrape has ${value}.`);
        values.push(value);
    }
    const [first, second] = values;
    if (second <= first) {
        return fail(
            "not-counting",
            `Pod ${podName}: ${METRIC_NAME} stayed at ${first} over ${secondsApart} s; it should grow with the app's lines.`,
        );
    }
    return pass(
        "counting",
        `Pod ${podName}: the sidecar "${METRICS_SIDECAR}" serves ${METRIC_NAME} in Prometheus text format; ` +
            `two scrapes ${secondsApart} s apart read ${first}, then ${second}.`,
    );
}
