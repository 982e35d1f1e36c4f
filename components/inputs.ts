import * as pulumi from "@pulumi/pulumi";
import { InvalidValueError } from "./validation";

/**
 * How the components turn their `pulumi.Input` arguments into checked, plain
 * settings, and bad values into ResourceErrors that name the component.
 */

/** True when no Output or Promise hides anywhere in the value, so it can be checked right now. */
export function isKnownNow(value: unknown): boolean {
    if (pulumi.Output.isInstance(value) || value instanceof Promise) return false;
    if (Array.isArray(value)) return value.every(isKnownNow);
    if (value !== null && typeof value === "object") return Object.values(value).every(isKnownNow);
    return true;
}

/**
 * Runs a validation and turns its InvalidValueError into a ResourceError that is
 * attached to the resource and names it in the message, e.g. `InitDemoPod "init-test": ...`.
 */
export function explainInvalid<T>(resource: pulumi.Resource, label: string, validate: () => T): T {
    try {
        return validate();
    } catch (err) {
        if (err instanceof InvalidValueError) {
            throw new pulumi.ResourceError(`${label}: ${err.message}`, resource);
        }
        throw err;
    }
}

/**
 * Resolves component arguments into settings. Plain arguments (the usual case)
 * are validated at once, so a bad value throws from the constructor before any
 * child exists; arguments that are still Outputs are validated when they resolve.
 * Either way a bad value becomes a ResourceError that names the component.
 */
export function resolveArgs<A extends object, S>(
    resource: pulumi.Resource,
    label: string,
    args: A,
    resolve: (plain: pulumi.Unwrap<A>) => S,
): pulumi.Output<S> {
    const resolveOrExplain = (plain: pulumi.Unwrap<A>): S => explainInvalid(resource, label, () => resolve(plain));
    if (isKnownNow(args)) {
        return pulumi.output(resolveOrExplain(args as pulumi.Unwrap<A>)) as pulumi.Output<S>;
    }
    return pulumi.output(args).apply((plain) => resolveOrExplain(plain as pulumi.Unwrap<A>));
}
