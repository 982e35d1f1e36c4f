import * as assert from "assert";
import { DEMO_POD_SETTINGS } from "../components/demoPod";
import { INIT_DEMO_POD_SETTINGS } from "../components/initDemoPod";
import { KIND_CLUSTER_SETTINGS } from "../components/kindCluster";
import { LAB_NAMESPACE_SETTINGS } from "../components/labNamespace";
import { LESSONS_SETTINGS } from "../lessons";
import { FAILING_INIT_SETTINGS } from "../lessons/failing-init/spec";
import { LOG_ADAPTER_SETTINGS } from "../lessons/log-adapter/spec";
import { METRICS_EXPORTER_SETTINGS } from "../lessons/metrics-exporter/spec";
import { NATIVE_SIDECAR_SETTINGS } from "../lessons/native-sidecar/spec";
import { POD_REQUESTS_SETTINGS } from "../lessons/pod-requests/spec";
import { SHUTDOWN_ORDER_SETTINGS } from "../lessons/shutdown-order/spec";
import { SIDECAR_RESTART_SETTINGS } from "../lessons/sidecar-restart/spec";
import { STAGE_FILES_SETTINGS } from "../lessons/stage-files/spec";
import { STARTUP_PROBE_SETTINGS } from "../lessons/startup-probe/spec";
import { WAIT_FOR_SERVICE_SETTINGS } from "../lessons/wait-for-service/spec";
import { Setting, SettingsTable, resolveSetting } from "../components/settings";
import { SIDECAR_DEMO_POD_SETTINGS } from "../components/sidecarDemoPod";
import { STUDENT_NAMESPACE_SETTINGS } from "../components/studentNamespace";
import { STUDENT_LIMIT_SETTINGS, STUDENT_QUOTA_SETTINGS } from "../components/studentPolicies";
import { InvalidValueError } from "../components/validation";
import { CONFIG_KEYS } from "../config";

/**
 * Every component's settings table, checked the same way: its example and default pass its own
 * check, and each value listed here as bad is refused with the setting's name, the value and the
 * example. Removing a check (or a rule from one) makes its row fail.
 */

const TABLES: Record<string, SettingsTable> = {
    DEMO_POD_SETTINGS,
    INIT_DEMO_POD_SETTINGS,
    SIDECAR_DEMO_POD_SETTINGS,
    KIND_CLUSTER_SETTINGS,
    LAB_NAMESPACE_SETTINGS,
    STUDENT_NAMESPACE_SETTINGS,
    STUDENT_QUOTA_SETTINGS,
    STUDENT_LIMIT_SETTINGS,
    FAILING_INIT_SETTINGS,
    WAIT_FOR_SERVICE_SETTINGS,
    STAGE_FILES_SETTINGS,
    LOG_ADAPTER_SETTINGS,
    METRICS_EXPORTER_SETTINGS,
    NATIVE_SIDECAR_SETTINGS,
    STARTUP_PROBE_SETTINGS,
    SHUTDOWN_ORDER_SETTINGS,
    SIDECAR_RESTART_SETTINGS,
    POD_REQUESTS_SETTINGS,
    LESSONS_SETTINGS,
    // The keys no component has: config.ts defines them.
    "config.ts": {
        clusterMode: CONFIG_KEYS.clusterMode,
        createNamespace: CONFIG_KEYS.createNamespace,
        isolation: CONFIG_KEYS.isolation,
    },
};

const QUANTITY_BAD = ["", "-1", "0", "1 Gi", "ten"];
const PORT_BAD = [80, 1023, 65536, 8080.5, NaN, "8080"];
const LESSON_INTERVAL_BAD = [0, 61, 1.5, NaN, "2"];

/** Bad values per table and setting: every setting of every table must be listed. */
const BAD: Record<string, Record<string, unknown[]>> = {
    DEMO_POD_SETTINGS: {
        namespace: ["Lab", "my.ns", "-x", "x".repeat(64), 7],
        podName: ["Init_Test", "-x", "x".repeat(254), ""],
        image: ["busybox:", "Bad Image", "busybox latest"],
        waitForReady: ["yes", 1],
        readyTimeoutSeconds: [9, 3601, 2.5, NaN, "180"],
        kubeContext: ["my context", "a;b", ""],
        kubeconfigPath: ["my file", "$HOME/x", ""],
    },
    INIT_DEMO_POD_SETTINGS: { initDelaySeconds: [-1, 3601, 2.5, NaN, "10"] },
    SIDECAR_DEMO_POD_SETTINGS: {
        message: ['say "hi"', "$(reboot)", "`id`", "a\\b", "", "   ", "a\nb", "a\u0000b", "a\u001bb", "x".repeat(201)],
        intervalSeconds: [0, 3601, 1.5, NaN],
        logPath: [
            "app.log",
            "/app.log",
            "/var/log/",
            "/var/../etc/passwd",
            "/bin/app.log",
            "/proc/app.log",
            "/sys/app.log",
            "/dev/app.log",
            "/etc/app.log",
            "/usr/app.log",
            "/usr/local/app.log",
            "/lib/app.log",
            "/sbin/app.log",
            `/var/log/${"x".repeat(256)}`,
            `/var/${"d".repeat(256)}/app.log`,
            `/var${"/x".repeat(600)}/app.log`,
        ],
        sidecarMode: ["Native", "sideways", ""],
    },
    KIND_CLUSTER_SETTINGS: {
        clusterName: ["Lab_Dev", "x".repeat(41), "-lab"],
        nodeImage: ["kindest node", "kindest/node:"],
        workerNodes: [-1, 6, 1.5, NaN],
        kindPath: ["", "   ", "kind\nrm", "kind\u0000"],
    },
    LAB_NAMESPACE_SETTINGS: {
        namespaceName: ["kube-system", "default", "Lab"],
        podSecurity: ["strict", "Restricted"],
    },
    STUDENT_NAMESPACE_SETTINGS: {
        student: ["Bob", "-bob", ""],
        namespaceName: ["kube-system", "Lab-Alice"],
        "cluster.server": ["203.0.113.10:6443", "ftp://x", "https://a b", undefined],
        "cluster.caData": ["not base64!", 7],
        "cluster.name": ["", "a\nb", 7],
    },
    STUDENT_QUOTA_SETTINGS: {
        pods: [0, 101, 1.5],
        requestsCpu: QUANTITY_BAD,
        requestsMemory: QUANTITY_BAD,
        limitsCpu: QUANTITY_BAD,
        limitsMemory: QUANTITY_BAD,
    },
    "config.ts": {
        clusterMode: ["minikube", "Kind", ""],
        createNamespace: ["yes", 0],
        isolation: ["students", "None"],
    },
    FAILING_INIT_SETTINGS: {
        fixConfigMap: ["Fix_Me", "-fix", "x".repeat(254), ""],
        exitCode: [0, 256, 1.5, NaN, "1"],
    },
    WAIT_FOR_SERVICE_SETTINGS: {
        serviceName: ["Backend", "lesson.backend", "x".repeat(64), ""],
        clusterDomain: ["Cluster.Local", "cluster_local", ".local", ""],
        pollSeconds: [0, 61, 1.5, NaN, "2"],
    },
    STAGE_FILES_SETTINGS: {
        port: PORT_BAD,
        title: ['say "hi"', "$(reboot)", "", "a\nb", "x".repeat(201)],
    },
    LOG_ADAPTER_SETTINGS: {
        message: ["`id`", "a\u0000b", "   "],
        intervalSeconds: LESSON_INTERVAL_BAD,
    },
    METRICS_EXPORTER_SETTINGS: { port: PORT_BAD, intervalSeconds: LESSON_INTERVAL_BAD },
    NATIVE_SIDECAR_SETTINGS: {
        classicJobName: ["Classic", "a.b", "x".repeat(64)],
        nativeJobName: ["Native", "-native", ""],
        lines: [0, 101, 2.5, NaN, "3"],
        intervalSeconds: LESSON_INTERVAL_BAD,
    },
    STARTUP_PROBE_SETTINGS: { warmUpSeconds: [3, 61, 8.5, NaN, "8"] },
    SHUTDOWN_ORDER_SETTINGS: { stopSeconds: [0, 11, 2.5, NaN, "2"] },
    SIDECAR_RESTART_SETTINGS: {
        exitAfterSeconds: [1, 61, 5.5, NaN, "5"],
        exitCode: [-1, 256, 1.5, NaN, "1"],
    },
    POD_REQUESTS_SETTINGS: Object.fromEntries(Object.keys(POD_REQUESTS_SETTINGS).map((k) => [k, QUANTITY_BAD])),
    LESSONS_SETTINGS: {
        lessons: [1, "nope", "failing-init,nope"],
        lessonSettings: [
            "nope",
            [1],
            '{"failng-init":{"exitCode":3}}',
            '{"failing-init":{"exitCod":3}}',
            '{"failing-init":{"exitCode":0}}',
            '{"failing-init":3}',
            '{"native-sidecar":{"lines":"many"}}',
        ],
    },
    STUDENT_LIMIT_SETTINGS: Object.fromEntries(Object.keys(STUDENT_LIMIT_SETTINGS).map((k) => [k, QUANTITY_BAD])),
};

function refusal(spec: Setting<unknown>, value: unknown): InvalidValueError | undefined {
    try {
        spec.check("the.field", value, spec.example);
    } catch (err) {
        if (err instanceof InvalidValueError) return err;
        throw err;
    }
    return undefined;
}

describe("settings tables", () => {
    for (const [tableName, table] of Object.entries(TABLES)) {
        describe(tableName, () => {
            it("lists bad values for every setting, and only for settings it has", () => {
                assert.deepStrictEqual(Object.keys(BAD[tableName]).sort(), Object.keys(table).sort());
            });

            for (const [key, spec] of Object.entries(table)) {
                it(`${key}: its example and its default pass its check; it has a description`, () => {
                    const example = spec.type === "string" ? spec.example : JSON.parse(spec.example);
                    assert.strictEqual(refusal(spec, example), undefined, `example ${spec.example}`);
                    if (spec.default !== undefined) {
                        assert.strictEqual(refusal(spec, spec.default), undefined, `default ${String(spec.default)}`);
                    } else {
                        assert.ok(spec.defaultText, "a derived default says how it is derived");
                    }
                    assert.match(spec.description, /^\S.{8,}[.)]$/);
                });

                for (const bad of BAD[tableName]?.[key] ?? []) {
                    const shown = typeof bad === "string" && bad.length > 40 ? `${bad.slice(0, 40)}...` : bad;
                    it(`${key}: refuses ${JSON.stringify(shown) ?? String(bad)}, naming the setting and its example`, () => {
                        const err = refusal(spec, bad);
                        assert.ok(err, "refused");
                        assert.strictEqual(err.field, "the.field");
                        assert.strictEqual(err.example, spec.example);
                        assert.ok(err.message.startsWith("the.field must be "), err.message);
                        // What the user reads names the bad value and ends with a good one.
                        assert.ok(/; got /.test(err.message), err.message);
                        assert.ok(err.message.endsWith(`Example: ${spec.example}`), err.message);
                    });
                }
            }
        });
    }

    it("resolveSetting: the given value, else the default, else the derived value", () => {
        const spec = INIT_DEMO_POD_SETTINGS.initDelaySeconds;
        assert.strictEqual(resolveSetting(spec, "d", 3), 3);
        assert.strictEqual(resolveSetting(spec, "d", undefined), 10);
        assert.strictEqual(resolveSetting(DEMO_POD_SETTINGS.podName, "p", undefined, "derived"), "derived");
        assert.throws(() => resolveSetting(DEMO_POD_SETTINGS.podName, "p", undefined), /p must be .*got nothing/);
    });

    it("config keys use the components' checks, not copies of them", () => {
        const sameCheck: [keyof typeof CONFIG_KEYS, Setting<unknown>][] = [
            ["clusterName", KIND_CLUSTER_SETTINGS.clusterName],
            ["nodeImage", KIND_CLUSTER_SETTINGS.nodeImage],
            ["workerNodes", KIND_CLUSTER_SETTINGS.workerNodes],
            ["kindPath", KIND_CLUSTER_SETTINGS.kindPath],
            ["kubeContext", DEMO_POD_SETTINGS.kubeContext],
            ["kubeconfigPath", DEMO_POD_SETTINGS.kubeconfigPath],
            ["namespace", DEMO_POD_SETTINGS.namespace],
            ["image", DEMO_POD_SETTINGS.image],
            ["initPodName", DEMO_POD_SETTINGS.podName],
            ["sidecarPodName", DEMO_POD_SETTINGS.podName],
            ["initDelaySeconds", INIT_DEMO_POD_SETTINGS.initDelaySeconds],
            ["message", SIDECAR_DEMO_POD_SETTINGS.message],
            ["intervalSeconds", SIDECAR_DEMO_POD_SETTINGS.intervalSeconds],
            ["logPath", SIDECAR_DEMO_POD_SETTINGS.logPath],
            ["sidecarMode", SIDECAR_DEMO_POD_SETTINGS.sidecarMode],
            ["waitForReady", DEMO_POD_SETTINGS.waitForReady],
            ["readyTimeoutSeconds", DEMO_POD_SETTINGS.readyTimeoutSeconds],
            ["student", STUDENT_NAMESPACE_SETTINGS.student],
        ];
        for (const [key, spec] of sameCheck) {
            assert.strictEqual(CONFIG_KEYS[key].check, spec.check, key);
            assert.strictEqual(CONFIG_KEYS[key].type, spec.type, key);
        }
    });
});
