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
 * Runs a validation and turns its InvalidValueError into a ResourceError that names the
 * component in the message, e.g. `InitDemoPod "init-test": ...`. The error hides its stack:
 * the engine then prints the message alone, without a trace or a dump of the resource.
 */
export function explainInvalid<T>(resource: pulumi.Resource | undefined, label: string, validate: () => T): T {
    try {
        return validate();
    } catch (err) {
        if (err instanceof InvalidValueError) {
            throw new pulumi.ResourceError(`${label}: ${err.message}`, resource, true);
        }
        throw err;
    }
}

/** Arguments checked before the component registered; {@link CheckedArgs.output} gives them once it has. */
export interface CheckedArgs<S> {
    /** The settings as an Output; arguments that were still Outputs are checked as they resolve, against `resource`. */
    output(resource: pulumi.Resource): pulumi.Output<S>;
}

/**
 * Resolves component arguments into settings. Call it BEFORE `super(...)`: plain arguments
 * (the usual case) are checked at once, so a bad value throws before the component or any
 * child is registered. Arguments that are still Outputs can only be checked when they resolve;
 * either way a bad value becomes a ResourceError that names the component.
 */
export function checkArgs<A extends object, S>(
    label: string,
    args: A,
    resolve: (plain: pulumi.Unwrap<A>) => S,
): CheckedArgs<S> {
    if (isKnownNow(args)) {
        const settings = explainInvalid(undefined, label, () => resolve(args as pulumi.Unwrap<A>));
        return { output: () => pulumi.output(settings) as pulumi.Output<S> };
    }
    return {
        output: (resource) =>
            pulumi
                .output(args)
                .apply((plain) => explainInvalid(resource, label, () => resolve(plain as pulumi.Unwrap<A>))),
    };
}

/**
 * `value`, carrying `resources` as dependencies: whatever is made from it waits for them. Through
 * their URNs, known in a preview too, so a preview still shows the value.
 */
export function dependingOn<T>(value: pulumi.Input<T>, ...resources: pulumi.Resource[]): pulumi.Output<T> {
    return pulumi.all(resources.map((r) => r.urn)).apply(() => value) as pulumi.Output<T>;
}
