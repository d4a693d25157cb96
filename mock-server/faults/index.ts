/** Seeded, commit-aware fault injection (README "Fault plans"). */
export { FaultEngine, type FaultDecision, type RuleStatus } from './engine.js';
export { faultMiddleware, type FaultDeps } from './middleware.js';
export { FAULT_KINDS, InvalidFaultPlanError, faultPlanSchema, parseFaultPlan, type FaultKind, type FaultPlan, type FaultPlanInput, type FaultRule } from './schema.js';
