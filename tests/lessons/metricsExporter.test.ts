import * as assert from "assert";
import * as k8s from "@pulumi/kubernetes";
import { MetricsExporterLesson } from "../../components/lessons";
import {
    METRICS_CGI,
    buildMetricsExporterPodSpec,
    exporterScript,
    metricsExporterCommands,
    resolveMetricsExporterSettings,
} from "../../components/lessons/metricsExporter";
import { checkRestrictedSecurity } from "../../policy/policies";
import { itRejectsEach } from "../rejects";
import { findRecorded, promiseOf } from "../mocks";

describe("lesson metrics-exporter", () => {
    describe("pure builders", () => {
        const settings = resolveMetricsExporterSettings("lesson-metrics-exporter", {});

        it("the exporter reads the app's log read-only, writes its CGI script to its own emptyDir, and is probed", () => {
            const spec = buildMetricsExporterPodSpec(settings);
            const [app, exporter] = spec.containers!;
            assert.deepStrictEqual(app.volumeMounts, [{ name: "shared-logs", mountPath: "/var/log/app" }]);
            assert.deepStrictEqual(exporter.volumeMounts, [
                { name: "shared-logs", mountPath: "/var/log/app", readOnly: true },
                { name: "exporter-www", mountPath: "/www" },
            ]);
            assert.deepStrictEqual(exporter.ports, [{ name: "metrics", containerPort: 9102 }]);
            assert.deepStrictEqual(exporter.readinessProbe, {
                exec: { command: ["sh", "-c", "wget -q -O /dev/null http://127.0.0.1:9102/cgi-bin/metrics"] },
                periodSeconds: 2,
            });
            assert.deepStrictEqual(checkRestrictedSecurity("Pod", spec), []);
        });

        it("serves the line count as a Prometheus counter through busybox httpd's CGI", () => {
            assert.match(
                METRICS_CGI,
                /^#!\/bin\/sh\nn=\$\(awk 'END \{ print NR \}' \/var\/log\/app\/app.log 2>\/dev\/null\)\n/,
            );
            assert.match(
                METRICS_CGI,
                /\necho '# TYPE app_log_lines_total counter'\necho "app_log_lines_total \$\{n:-0\}"\n$/,
            );
            const script = exporterScript(9200);
            assert.ok(script.includes(`cat > /www/cgi-bin/metrics <<'EOF'\n${METRICS_CGI}EOF\n`), script);
            assert.match(script, /chmod 755 \/www\/cgi-bin\/metrics;\n/);
            assert.match(script, /exec httpd -f -v -p 9200 -h \/www\n$/);
        });

        it("exports the proxy scrape verify does, an in-Pod scrape and a port-forward", () => {
            assert.deepStrictEqual(
                metricsExporterCommands({ namespace: "lab-dev" }, "lesson-metrics-exporter", settings),
                {
                    scrape: "kubectl -n lab-dev get --raw /api/v1/namespaces/lab-dev/pods/lesson-metrics-exporter:9102/proxy/cgi-bin/metrics",
                    scrapeInPod:
                        "kubectl -n lab-dev exec lesson-metrics-exporter -c metrics-exporter -- wget -qO- http://localhost:9102/cgi-bin/metrics",
                    portForward: "kubectl -n lab-dev port-forward pod/lesson-metrics-exporter 9102:9102",
                },
            );
        });

        itRejectsEach((args) => resolveMetricsExporterSettings("lesson-metrics-exporter", args as never), [
            [{ port: 443 }, "port"],
            [{ intervalSeconds: 0 }, "intervalSeconds"],
        ] as const);
    });

    describe("component (mocked engine)", () => {
        const provider = new k8s.Provider("metrics-tests", { kubeconfig: "fake" });

        it("creates the Pod through the provider, with its scrape commands", async () => {
            const lesson = new MetricsExporterLesson("unit-metrics", { namespace: "lab-dev" }, { provider });
            const commands = await promiseOf(lesson.commands);
            assert.strictEqual(
                findRecorded("kubernetes:core/v1:Pod", "unit-metrics").provider,
                `${await promiseOf(provider.urn)}::metrics-tests-id`,
            );
            assert.match(String(commands.scrape), /pods\/unit-metrics:9102\/proxy\/cgi-bin\/metrics$/);
        });
    });
});
