// verify-in-code.mjs: the engine behind `dhis2-harness verify`, from a script.
import { formatReport, verifyUpsert } from 'dhis2-upsert-harness';
import upsert from './upsert.mjs';

const report = await verifyUpsert(upsert, { seed: 42, numRuns: 30, concurrentRuns: 0, workload: { dhis2Versions: ['2.40'] } });
// report.counterexample holds the workload, the history, the findings and the interleaving
console.log(report.ok ? 'PASS' : formatReport(report));
process.exitCode = report.ok ? 0 : 1;
