import { InvalidValueError } from "./validation";

/** Kubernetes quantities ("100m", "32Mi"): reading them, comparing them, checking them. */

// Kubernetes resource.Quantity: a decimal number and an optional binary (Ki..Ei), decimal (n..E)
// or exponent suffix. Quotas and limits here must not be negative.
const QUANTITY = /^(\d+(\.\d*)?|\.\d+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?\d+)?$/;
const SUFFIX_FACTORS: Record<string, number> = {
    n: 1e-9,
    u: 1e-6,
    m: 1e-3,
    "": 1,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    P: 1e15,
    E: 1e18,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    Pi: 2 ** 50,
    Ei: 2 ** 60,
};

/** A Kubernetes quantity's value in base units (cores, bytes), e.g. `"100m"` is 0.1 and `"1Ki"` is 1024. */
export function parseQuantity(quantity: string): number {
    const match = QUANTITY.exec(quantity);
    if (!match) throw new Error(`not a Kubernetes quantity: ${JSON.stringify(quantity)}`);
    const suffix = match[3] ?? "";
    const number = Number(match[1]);
    if (/^[eE]/.test(suffix)) return number * 10 ** Number(suffix.slice(1));
    return number * SUFFIX_FACTORS[suffix];
}

export function quantity(field: string, value: unknown, example: string): string {
    if (typeof value !== "string" || !QUANTITY.test(value) || parseQuantity(value) <= 0) {
        throw new InvalidValueError(
            field,
            value,
            "a positive Kubernetes quantity (a number with an optional suffix such as m, Mi or Gi)",
            example,
        );
    }
    return value;
}
