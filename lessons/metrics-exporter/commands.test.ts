import * as assert from "assert";
import { resolveMetricsExporterSettings } from "./spec";
import { metricsExporterCommands } from "./commands";

describe("lesson metrics-exporter", () => {
    describe("commands", () => {
        const settings = resolveMetricsExporterSettings("lesson-metrics-exporter", {});

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
    });
});
