import * as assert from "assert";
import { parseQuantity, quantity } from "../components/quantity";

describe("Kubernetes quantities", () => {
    it("parses Kubernetes quantities into base units", () => {
        assert.strictEqual(parseQuantity("100m"), 0.1);
        assert.strictEqual(parseQuantity("2"), 2);
        assert.strictEqual(parseQuantity("1.5"), 1.5);
        assert.strictEqual(parseQuantity("16Mi"), 16 * 1024 * 1024);
        assert.strictEqual(parseQuantity("1G"), 1e9);
        assert.strictEqual(parseQuantity("1e3"), 1000);
        assert.throws(() => parseQuantity("1 Gi"), /not a Kubernetes quantity/);
        assert.throws(() => parseQuantity("-1"), /not a Kubernetes quantity/);
    });

    it("quantity accepts positive quantities only, naming the field and the example", () => {
        assert.strictEqual(quantity("limits.cpu", "500m", "1"), "500m");
        assert.throws(
            () => quantity("limits.cpu", "0", "1"),
            /^InvalidValueError: limits.cpu must be a positive Kubernetes quantity.*Example: 1$/,
        );
    });
});
