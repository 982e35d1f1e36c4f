import * as Mocha from "mocha";

/**
 * Mocha's spec reporter plus one plain closing line, `N passed, N failed`,
 * which CI reads whatever the runner.
 */
class SpecWithTotals extends Mocha.reporters.Spec {
    constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
        super(runner, options);
        runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
            const stats = runner.stats ?? { passes: 0, failures: 0, pending: 0 };
            const skipped = stats.pending > 0 ? `, ${stats.pending} skipped` : "";
            process.stdout.write(`tests: ${stats.passes} passed, ${stats.failures} failed${skipped}\n`);
        });
    }
}

export = SpecWithTotals;
