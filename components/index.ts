export { KindCluster, DEFAULT_KIND_PATH, LAB_SERVER_SIDE_APPLY } from "./kindCluster";
export type { KindClusterArgs } from "./kindCluster";
export { InitDemoPod } from "./initDemoPod";
export type { InitDemoPodArgs, InitStep } from "./initDemoPod";
export { SidecarDemoPod } from "./sidecarDemoPod";
export type { SidecarDemoPodArgs, SidecarMode } from "./sidecarDemoPod";
export { LabNamespace } from "./labNamespace";
export type { LabNamespaceArgs, PodSecurityLevel } from "./labNamespace";
export { StudentNamespace, clusterEndpoint, loadClusterEndpoint, studentKubeconfig } from "./studentNamespace";
export type {
    StudentClusterArgs,
    StudentLimitArgs,
    StudentNamespaceArgs,
    StudentQuotaArgs,
    ClusterEndpoint,
} from "./studentNamespace";
export type { DemoPodArgs } from "./demoPod";
export { kubectlCommand, studentCommands } from "./kubectlCommands";
export type { StudentCommands } from "./kubectlCommands";
