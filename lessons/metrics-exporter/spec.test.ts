import * as assert from "assert";
import { METRICS_CGI, buildMetricsExporterPodSpec, exporterScript, resolveMetricsExporterSettings } from "./spec";
import { checkRestrictedSecurity } from "../../policy/policies";
import { itRejectsEach } from "../../tests/rejects";

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

        itRejectsEach((args) => resolveMetricsExporterSettings("lesson-metrics-exporter", args as never), [
            [{ port: 443 }, "port"],
            [{ intervalSeconds: 0 }, "intervalSeconds"],
        ] as const);
    });
});
