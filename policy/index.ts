import { PolicyPack } from "@pulumi/policy";
import { labPolicies } from "./policies";

/**
 * The lab's policy pack, enforced during preview and up:
 *
 *     pulumi preview --policy-pack policy
 *     pulumi up --policy-pack policy
 *
 * It needs no install of its own: Node resolves @pulumi/policy and @pulumi/pulumi from the
 * repository's node_modules (the root package.json pins @pulumi/policy), so `npm ci` at the
 * root is enough. policy/package.json only gives the pack the version PolicyPack reads
 * from the pack directory. Every violation is mandatory: the run stops before anything
 * is created or changed.
 */
new PolicyPack("init-sidecar-lab", {
    description: "Keeps the lab's Pods pinned, bounded and Pod Security restricted, and its namespaces enforcing it.",
    enforcementLevel: "mandatory",
    policies: labPolicies,
});
