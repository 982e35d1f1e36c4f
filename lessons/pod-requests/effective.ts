import { parseQuantity } from "../../components/quantity";

/**
 * A Pod's effective request of one resource, by the formula the scheduler, the kubelet and
 * resource quota use (KEP-753; Kubernetes docs, "Effective Pod requests and limits"):
 *
 *   init phase = the largest, over the init containers in order, of the container's request plus
 *                the requests of the native sidecars listed before it (a native sidecar's own entry
 *                is every native sidecar up to and including it: they keep running);
 *   run phase  = the app containers' requests plus every native sidecar's;
 *   effective  = max(init phase, run phase), plus the Pod's overhead.
 *
 * Pure: it reads a Pod spec (as the API server stores it, or as a builder makes it).
 */

export type Resource = "cpu" | "memory";

interface ContainerLike {
    name?: string;
    restartPolicy?: string;
    resources?: { requests?: Record<string, unknown> };
}

export interface PodSpecLike {
    initContainers?: ContainerLike[];
    containers?: ContainerLike[];
    overhead?: Record<string, unknown>;
}

/** A request in base units (cores, bytes); 0 where none is set. */
function quantityOf(value: unknown): number {
    if (typeof value === "number") return value;
    return typeof value === "string" ? parseQuantity(value) : 0;
}

const requestOf = (c: ContainerLike, resource: Resource) => quantityOf(c.resources?.requests?.[resource]);
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

export interface EffectiveRequest {
    /** What the scheduler reserves for the Pod. */
    effective: number;
    /** The largest need while the init containers run, one at a time, beside the native sidecars started before. */
    initPhase: number;
    /** The need once initialized: app containers and native sidecars together. */
    runPhase: number;
    /** Every container's request added up: what a reader of the spec might guess. */
    sumOfAll: number;
}

export function effectiveRequest(spec: PodSpecLike, resource: Resource): EffectiveRequest {
    const inits = spec.initContainers ?? [];
    let sidecars = 0;
    let initPhase = 0;
    for (const c of inits) {
        const request = requestOf(c, resource);
        if (c.restartPolicy === "Always") {
            sidecars += request;
            initPhase = Math.max(initPhase, sidecars);
        } else {
            initPhase = Math.max(initPhase, request + sidecars);
        }
    }
    const apps = sum((spec.containers ?? []).map((c) => requestOf(c, resource)));
    const runPhase = apps + sidecars;
    const overhead = quantityOf(spec.overhead?.[resource]);
    return {
        effective: Math.max(initPhase, runPhase) + overhead,
        initPhase,
        runPhase,
        sumOfAll: sum([...inits, ...(spec.containers ?? [])].map((c) => requestOf(c, resource))),
    };
}

/** CPU as kubectl shows a request: millicores (`80m`), whole cores when round. */
export function formatCpu(cores: number): string {
    const milli = Math.round(cores * 1000);
    return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/** Memory in the largest binary unit that divides it (`64Mi`), else bytes. */
export function formatMemory(bytes: number): string {
    const rounded = Math.round(bytes);
    for (const [unit, size] of [
        ["Gi", 2 ** 30],
        ["Mi", 2 ** 20],
        ["Ki", 2 ** 10],
    ] as const) {
        if (rounded >= size && rounded % size === 0) return `${rounded / size}${unit}`;
    }
    return String(rounded);
}

export function formatRequest(resource: Resource, value: number): string {
    return resource === "cpu" ? formatCpu(value) : formatMemory(value);
}

/** Two amounts of one resource are the same, in the resource's smallest unit (millicores, bytes). */
export function sameAmount(resource: Resource, a: number, b: number): boolean {
    return resource === "cpu" ? Math.round(a * 1000) === Math.round(b * 1000) : Math.round(a) === Math.round(b);
}
