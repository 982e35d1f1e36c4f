import type { V1Pod, V1ResourceQuota } from "@kubernetes/client-node";
import { parseQuantity } from "../../components/quantity";
import { LessonVerdict, fail, missing, pass } from "../shared/judge";
import { EffectiveRequest, Resource, effectiveRequest, formatRequest, sameAmount } from "./effective";
import { CLASSIC_POD, NATIVE_POD, QUOTA, QUOTA_SCOPE } from "./spec";

const RESOURCES: readonly Resource[] = ["cpu", "memory"];

type Both = Record<Resource, EffectiveRequest>;

function effectiveOf(pod: V1Pod): Both {
    const spec = pod.spec ?? { containers: [] };
    return { cpu: effectiveRequest(spec, "cpu"), memory: effectiveRequest(spec, "memory") };
}

const shown = (both: Both, pick: (e: EffectiveRequest) => number) =>
    RESOURCES.map((r) => formatRequest(r, pick(both[r]))).join(" / ");

/** One Pod's effective request, and where it comes from. */
function explain(name: string, both: Both): string {
    const larger = both.cpu.initPhase > both.cpu.runPhase ? "the init phase" : "the running phase";
    return (
        `${name} ${shown(both, (e) => e.effective)} ` +
        `(init phase ${shown(both, (e) => e.initPhase)}, running ${shown(both, (e) => e.runPhase)}: ${larger} counts for CPU)`
    );
}

/**
 * pod-requests: "accounted" once both Pods are scheduled and the API server's count for them (the
 * quota's `used`) equals the sum of their effective requests by KEP-753's formula, each computed
 * from its spec; "starting" before; "mismatch" while the two differ (the quota controller may be
 * catching up; if it lasts, the formula here is not the cluster's).
 */
export function judgePodRequests(
    classic: V1Pod | undefined,
    native: V1Pod | undefined,
    quota: V1ResourceQuota | undefined,
): LessonVerdict {
    if (!classic) return missing("Pod", CLASSIC_POD);
    if (!native) return missing("Pod", NATIVE_POD);
    if (!quota) return missing("ResourceQuota", QUOTA);
    const unscheduled = [classic, native].filter((p) => !p.spec?.nodeName).map((p) => p.metadata?.name);
    if (unscheduled.length > 0) {
        return fail(
            "starting",
            `Pod ${unscheduled.join(" and ")} is not on a node yet: the scheduler has not placed it.`,
        );
    }
    const ours = { classic: effectiveOf(classic), native: effectiveOf(native) };
    const used = quota.status?.used ?? {};
    const counted = RESOURCES.map((r) => {
        const text = used[`requests.${r}`];
        return text === undefined ? undefined : parseQuantity(text);
    });
    if (counted.some((c) => c === undefined)) {
        return fail("starting", `ResourceQuota ${QUOTA} has not counted the Pods yet (no status.used).`);
    }
    const expected = RESOURCES.map((r) => ours.classic[r].effective + ours.native[r].effective);
    const formula =
        `Effective requests by KEP-753's formula, from each Pod's spec: ${explain(`classic Pod ${CLASSIC_POD}`, ours.classic)}; ` +
        `${explain(`native Pod ${NATIVE_POD}`, ours.native)}.`;
    const apiCount = RESOURCES.map((r, i) => formatRequest(r, counted[i] ?? 0)).join(" / ");
    const sum = RESOURCES.map((r, i) => formatRequest(r, expected[i])).join(" / ");
    if (!RESOURCES.every((r, i) => sameAmount(r, counted[i] ?? 0, expected[i]))) {
        return fail(
            "mismatch",
            `${formula} Together ${sum}, but the API server counts ${apiCount} in ResourceQuota ${QUOTA} ` +
                `(scope ${QUOTA_SCOPE}: the Pods with activeDeadlineSeconds; another such Pod, as shutdown-order's ` +
                "stopped one until it ended, counts too).",
        );
    }
    const extra = RESOURCES.map((r) => formatRequest(r, ours.native[r].effective - ours.classic[r].effective)).join(
        " / ",
    );
    const naive = RESOURCES.map((r) => formatRequest(r, ours.native[r].sumOfAll)).join(" / ");
    return pass(
        "accounted",
        `${formula} Same containers, same requests, yet the native Pod reserves ${extra} more, as long as it lives ` +
            `(and neither reserves the plain sum, ${naive}). The API server counts ${apiCount} for the two in ` +
            `ResourceQuota ${QUOTA} (scope ${QUOTA_SCOPE}: these two Pods alone), with the function the scheduler uses: ` +
            "the same. No API field holds one Pod's effective request; `describeNode` shows kubectl's per-Pod figures.",
    );
}
