export { KindCluster, KIND_CLUSTER_SETTINGS, LAB_SERVER_SIDE_APPLY } from "./kindCluster";
export type { KindClusterArgs } from "./kindCluster";
export {
    InitDemoPod,
    DEFAULT_INIT_STEP_NAME,
    INIT_DEMO_POD_NAME,
    INIT_DEMO_POD_SETTINGS,
    INIT_MAIN_CONTAINER,
} from "./initDemoPod";
export type { InitDemoPodArgs, InitStep } from "./initDemoPod";
export {
    SidecarDemoPod,
    SIDECAR_CONTAINER,
    SIDECAR_DEMO_POD_NAME,
    SIDECAR_DEMO_POD_SETTINGS,
    SIDECAR_MAIN_CONTAINER,
} from "./sidecarDemoPod";
export type { SidecarDemoPodArgs, SidecarMode } from "./sidecarDemoPod";
export { LabNamespace, LAB_NAMESPACE_SETTINGS } from "./labNamespace";
export type { LabNamespaceArgs, PodSecurityLevel } from "./labNamespace";
export { StudentNamespace, STUDENT_NAMESPACE_SETTINGS } from "./studentNamespace";
export { STUDENT_QUOTA_SETTINGS, STUDENT_LIMIT_SETTINGS } from "./studentPolicies";
export type { StudentClusterArgs, StudentLimitArgs, StudentNamespaceArgs, StudentQuotaArgs } from "./studentNamespace";
export { studentKubeconfig } from "./studentKubeconfig";
export { DEMO_POD_SETTINGS } from "./demoPod";
export type { DemoPodArgs } from "./demoPod";
export { kubectlCommand, studentCommands } from "./kubectlCommands";
export type { StudentCommands } from "./kubectlCommands";
export { deployedLab, DEPLOYED_VERSION } from "./deployed";
export type { DeployedLab } from "./deployed";
