import { KubectlTarget, kubectlCommand } from "../../components/kubectlCommands";
import { LessonCommands } from "../shared/lesson";
import { COMPONENT, NATIVE_POD, QUOTA } from "./spec";

/** Each Pod's containers, in order, and their CPU and memory requests. */
export const REQUESTS_COLUMNS =
    "POD:.metadata.name," +
    "INIT_CONTAINERS:.spec.initContainers[*].name," +
    "INIT_CPU:.spec.initContainers[*].resources.requests.cpu," +
    "INIT_MEMORY:.spec.initContainers[*].resources.requests.memory," +
    "CONTAINERS:.spec.containers[*].name," +
    "CPU:.spec.containers[*].resources.requests.cpu," +
    "MEMORY:.spec.containers[*].resources.requests.memory";

/**
 * `describeNode`: the scheduler's view, the node's "Non-terminated Pods" with each Pod's effective
 * request (kubectl computes it from the spec with the scheduler's formula) and what is allocated;
 * `quota`: what the API server counted for both Pods; `requests`: each container's.
 */
export function podRequestsCommands(target: KubectlTarget): LessonCommands {
    const node = kubectlCommand(target, "get", "pod", NATIVE_POD, "-o", "jsonpath={.spec.nodeName}");
    const selector = `app.kubernetes.io/component=${COMPONENT}`;
    return {
        watch: kubectlCommand(target, "get", "pods", "-l", selector, "-w"),
        requests: kubectlCommand(target, "get", "pods", "-l", selector, "-o", `custom-columns=${REQUESTS_COLUMNS}`),
        describeNode: `${kubectlCommand(target, "describe", "node")} "$(${node})"`,
        quota: kubectlCommand(target, "describe", "resourcequota", QUOTA),
    };
}
