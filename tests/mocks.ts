import * as pulumi from "@pulumi/pulumi";
import type { MockMonitor } from "@pulumi/pulumi/runtime/mocks";

/**
 * Pulumi mocks for the whole suite. Mocha loads this file first (.mocharc.json
 * `require`), so the mocks are in place before any program code is imported.
 * It records every resource registered and refuses anything it does not know.
 */

export const PROJECT = "init-sidecar-lab";
export const STACK = "dev";

export interface RecordedResource {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
    /** Provider reference, `<provider urn>::<provider id>`, for custom resources. */
    provider?: string;
    custom: boolean;
}

export const recorded: RecordedResource[] = [];

export const FAKE_KUBECONFIG_PREFIX = "apiVersion: v1\nkind: Config\n# fake kubeconfig for ";

/** The outputs each resource type has after a (mocked) create. */
function mockState(args: pulumi.runtime.MockResourceArgs): Record<string, unknown> {
    switch (args.type) {
        case "pulumi-nodejs:dynamic/kind:Cluster":
            return {
                ...args.inputs,
                kubeContext: `kind-${args.inputs.clusterName}`,
                kubeconfig: FAKE_KUBECONFIG_PREFIX + args.inputs.clusterName,
            };
        case "kubernetes:core/v1:Pod":
        case "kubernetes:core/v1:Namespace":
        case "pulumi:providers:kubernetes":
            return args.inputs;
        default:
            if (args.custom === false) return {};
            throw new Error(`mocks: unexpected resource type ${args.type} (${args.name})`);
    }
}

const mocks: pulumi.runtime.Mocks = {
    newResource(args) {
        const state = mockState(args);
        recorded.push({
            type: args.type,
            name: args.name,
            inputs: args.inputs,
            provider: args.provider,
            custom: args.custom !== false,
        });
        return { id: args.custom === false ? undefined : `${args.name}-id`, state };
    },
    call(args) {
        throw new Error(`mocks: unexpected call ${args.token}`);
    },
};

function currentMonitor(): MockMonitor | undefined {
    return pulumi.runtime.getMonitor() as unknown as MockMonitor | undefined;
}

/** URNs registered before the last stack switch (each switch starts a new mock engine). */
const earlierUrns: string[] = [];

/** Points the mocked engine at another stack (per-stack naming tests); `useStack(STACK)` goes back. */
export function useStack(stack: string): void {
    earlierUrns.push(...(currentMonitor()?.getRegisteredResources().keys() ?? []));
    void pulumi.runtime.setMocks(mocks, PROJECT, stack, false);
}

useStack(STACK);

/** Resolves with an Output's value; Outputs are always known under these (non-preview) mocks. */
export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply(resolve));
}

/** The last recorded resource of a type and name; fails the test if there is none. */
export function findRecorded(type: string, name: string): RecordedResource {
    const found = recorded.filter((r) => r.type === type && r.name === name).pop();
    if (!found) {
        const seen = recorded.map((r) => `${r.type}::${r.name}`).join(", ");
        throw new Error(`no ${type} named ${name} was registered; saw: ${seen}`);
    }
    return found;
}

export function isRecorded(type: string, name: string): boolean {
    return recorded.some((r) => r.type === type && r.name === name);
}

/** Every URN the mock engine has handed out; a URN spells out its parents' types. */
export function registeredUrns(): string[] {
    return [...earlierUrns, ...(currentMonitor()?.getRegisteredResources().keys() ?? [])];
}

/** Lets the mock engine finish registering what the program declared so far. */
export function settle(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 50));
}
