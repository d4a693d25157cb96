/** The harness: record histories, check them, hammer any upsert implementation. */
export type {
  HarnessRecord,
  UpsertContext,
  Implementation,
  BatchImplementation,
  ImplementationSource,
  Workload,
  OpSpec,
  PreexistingSpec,
  FaultRule,
  FaultKind,
  KeyKind,
  RunMode,
} from './types.js';
export { FAULT_KINDS, KEY_KINDS } from './types.js';
export type { History, HistoryOp, Outcome, EntitySnapshot, RequestTrace, CommitTrace, ReportedAction } from './history.js';
export { classifyError, extractUid } from './history.js';
export type {
  Finding,
  FindingCode,
  DuplicateFinding,
  NotIdempotentFinding,
  LostAttributeFinding,
  AmbiguityWriteFinding,
  NotConvergedFinding,
  NonLinearizableFinding,
  MergedFinding,
  BatchDivergesFinding,
  UntrueActionFinding,
} from './findings.js';
export { FINDING_CODES, SEVERITY, severityOf } from './findings.js';
export { checkHistory, keyViews, PROPERTIES, type KeyView, type KeyProperty } from './checker/index.js';
export { workloadArb, resolveConstraints, describeWorkload, type WorkloadConstraints } from './workload.js';
export { recordOf } from './keys.js';
export { type Coverage } from './coverage.js';
export { type NotApplicable } from './probe.js';
export { runWorkload, type RunOptions, type RunResult } from './runner.js';
export { RemoteTargetError, type RemoteOptions } from './remote-target.js';
export { SchedulerDivergedError } from './coordinator.js';
export { fifoScheduler, type TaskScheduler } from './fifo-scheduler.js';
export { verifyUpsert, DEFAULT_VERIFY, VersionsNotApplicableError, type VerifyOptions, type VerifyReport, type Counterexample } from './verify.js';
export { minimizeStory, smallerStories } from './minimize.js';
export { formatReport, type FormatOptions } from './report.js';
export { toReplayFile, saveReplay, loadReplay, replayCounterexample, ReplayFileError, REPLAY_FORMAT, type ReplayFile, type ReplayTarget } from './replay.js';
export { execImplementation, closeImplementation, ExecFailedError, EXEC_MODES, InvalidExecOptionsError, type ExecOptions, type ExecMode, type ExecImplementation } from './exec-adapter.js';
export { formatUnhandledWarning, markEmulatorGaps, opsFailedOnUnhandled, mergeUnhandled, EMULATOR_GAP_LABEL, type UnhandledRequest } from './unhandled.js';
export { loadImplementation, ModuleLoadError } from './module-loader.js';
