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
    /** The `deletedWith` resource option: the URN of the resource whose deletion deletes this one. */
    deletedWith?: string;
    /** URNs this resource depends on: its `dependsOn` and the resources its inputs came from. */
    dependencies: string[];
    /** Its `aliases`, as the SDK sends them: a former URN, or a former parent's URN (name and type unchanged). */
    aliases: RecordedAlias[];
}

export interface RecordedAlias {
    urn?: string;
    parentUrn?: string;
}

export const recorded: RecordedResource[] = [];

export const FAKE_KUBECONFIG_PREFIX = "apiVersion: v1\nkind: Config\n# fake kubeconfig for ";

/** The token the mocked token controller puts in a ServiceAccount token Secret, decoded. */
export function fakeServiceAccountToken(namespace: string, serviceAccount: string): string {
    return `fake-token-for-${namespace}/${serviceAccount}`;
}

/** The CA (PEM) the mocked token controller puts beside the token, decoded. */
export const FAKE_TOKEN_CA = "-----BEGIN CERTIFICATE-----\nfake token controller CA\n-----END CERTIFICATE-----\n";

const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

/** What the token controller adds to a `kubernetes.io/service-account-token` Secret. */
function tokenSecretState(inputs: Record<string, unknown>): Record<string, unknown> {
    const metadata = inputs.metadata as { namespace: string; annotations: Record<string, string> };
    const serviceAccount = metadata.annotations["kubernetes.io/service-account.name"];
    return {
        ...inputs,
        data: {
            token: base64(fakeServiceAccountToken(metadata.namespace, serviceAccount)),
            "ca.crt": base64(FAKE_TOKEN_CA),
            namespace: base64(metadata.namespace),
        },
    };
}

/** The outputs each resource type has after a (mocked) create. */
function mockState(args: pulumi.runtime.MockResourceArgs): Record<string, unknown> {
    switch (args.type) {
        case "pulumi-nodejs:dynamic/kind:Cluster":
            return {
                ...args.inputs,
                kubeContext: `kind-${args.inputs.clusterName}`,
                kubeconfig: FAKE_KUBECONFIG_PREFIX + args.inputs.clusterName,
            };
        case "kubernetes:core/v1:Secret":
            if (args.inputs.type !== "kubernetes.io/service-account-token") {
                throw new Error(`mocks: unexpected Secret type ${String(args.inputs.type)} (${args.name})`);
            }
            return tokenSecretState(args.inputs);
        case "pulumi:providers:kubernetes":
            return args.inputs;
        default:
            if (args.custom === false) return {};
            // Any other Kubernetes object (a lesson may add a kind: no edit here) is what was applied;
            // a kind whose server-filled fields the program reads gets its own case, as Secret has.
            if (args.type.startsWith("kubernetes:")) return args.inputs;
            throw new Error(`mocks: unexpected resource type ${args.type} (${args.name})`);
    }
}

/** What the Mocks interface does not pass, of the registration in flight, keyed by type and name. */
const inFlight = new Map<string, { deletedWith?: string; dependencies: string[]; aliases: RecordedAlias[] }>();

const mocks: pulumi.runtime.Mocks = {
    newResource(args) {
        const state = mockState(args);
        recorded.push({
            type: args.type,
            name: args.name,
            inputs: args.inputs,
            provider: args.provider,
            custom: args.custom !== false,
            ...(inFlight.get(`${args.type}::${args.name}`) ?? { dependencies: [], aliases: [] }),
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
    const monitor = currentMonitor();
    if (!monitor) throw new Error("mocks: setMocks left no monitor");
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: RegisterRequest, callback) => {
        const key = `${req.getType()}::${req.getName()}`;
        inFlight.set(key, {
            deletedWith: req.getDeletedwith() || undefined,
            dependencies: req.getDependenciesList(),
            aliases: req.getAliasesList().map((a) => ({
                ...(a.getUrn() ? { urn: a.getUrn() } : {}),
                ...(a.getSpec()?.getParenturn() ? { parentUrn: a.getSpec()?.getParenturn() } : {}),
            })),
        });
        return register(req, callback);
    };
}

/** The parts of a RegisterResourceRequest the wrapper above reads. */
interface RegisterRequest {
    getType(): string;
    getName(): string;
    getDeletedwith(): string;
    getDependenciesList(): string[];
    getAliasesList(): { getUrn(): string; getSpec(): { getParenturn(): string } | undefined }[];
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
