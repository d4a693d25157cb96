/** Scenario files, their runner, the reports and `hammer` (docs/scenarios.md, docs/hammer.md). */
export { scenarioSchema, findingCode, IMPLEMENTATION_PATTERN, type Scenario, type ScenarioInput, type Step, type UpsertStep, type ConcurrentStep, type OpExpect, type FinalExpect, type JournalFact } from './schema.js';
export { loadScenarioFile, parseScenario, expandScenarioPaths, ScenarioFileError, type LoadedScenario, type ScenarioIssue } from './load.js';
export { runScenarios, type RunScenariosOptions } from './run-scenarios.js';
export { executeScenario, type ScenarioRun } from './execute.js';
export { checkExpectations } from './expectations.js';
export { judge, type Judgement } from './verdict.js';
export { resolveImplementation, ImplementationSpecError } from './implementation.js';
export { PolicyScheduler, type InterleavingMode } from './interleaving.js';
export { EXPECTATION_CODES, type ExpectationFinding, type ScenarioFinding } from './findings.js';
export type { ScenarioOp } from './histories.js';
export { scenarioJsonSchema, renderScenarioSchema } from './write-schema.js';
export { hammer, type HammerOptions, type HammerReport } from './hammer/hammer.js';
export { renderHtml } from '../report/html.js';
export { renderJson, toJsonReport, JSON_REPORT_FORMAT } from '../report/json.js';
export { renderJUnit } from '../report/junit.js';
export { formatTable, type TableOptions } from '../report/table.js';
export { countVerdicts, PASSING_VERDICTS, type RunReport, type ScenarioResult, type Verdict } from '../report/model.js';
