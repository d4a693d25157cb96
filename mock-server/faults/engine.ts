import { randomUUID } from 'node:crypto';
import { sampleDelay, unitDraw } from './draw.js';
import { compilePathPattern, routeKey } from './route.js';
import { methodsOf, parseFaultPlan, type FaultPlan, type FaultRule } from './schema.js';

export type OutcomeRule = Exclude<FaultRule, { kind: 'latency' | 'stale-search' }>;

/** What the plan says about one request; `undefined` when no rule fired. */
export interface FaultDecision {
  route: string;
  /** 1-based position of the request on its route since the plan was installed */
  ordinal: number;
  latency: { rule: number; ms: number }[];
  stale?: { rule: number; commitsAgo?: number; msAgo?: number };
  /** the one fault that decides the request's fate (the first matching rule of such a kind) */
  outcome?: { rule: number; fault: OutcomeRule };
}

export interface RuleStatus {
  index: number;
  kind: FaultRule['kind'];
  label?: string;
  /** requests the rule's method and path matched */
  matched: number;
  injected: number;
  active: boolean;
}

interface CompiledRule {
  rule: FaultRule;
  methods?: string[];
  path?: (p: string) => boolean;
  nth?: Set<number>;
  headers?: [string, string][];
  matched: number;
  injected: number;
}

/**
 * Decides, per request, which faults of the installed plan fire. Every decision is a pure function
 * of (seed, rule index, route, ordinal on that route for that rule) and of the rule's counters, so
 * the same seed and the same request sequence give the same faults.
 */
export class FaultEngine {
  /** marks the emulator's own duplicate deliveries, so faults are not applied to them again */
  readonly deliverySecret = randomUUID();
  private plan: FaultPlan | undefined;
  private rules: CompiledRule[] = [];
  private installedAt = 0;
  private readonly routeOrdinals = new Map<string, number>();
  private readonly ruleOrdinals = new Map<string, number>();

  constructor(
    private readonly defaultSeed: number,
    private readonly clock: () => number = Date.now,
  ) {}

  get seed(): number {
    return this.plan?.seed ?? this.defaultSeed;
  }

  get installed(): FaultPlan | undefined {
    return this.plan;
  }

  /** Validates (throws InvalidFaultPlanError) and installs a plan; counters start from zero. */
  install(input: unknown): FaultPlan {
    const plan = parseFaultPlan(input);
    this.clear();
    this.plan = plan;
    this.installedAt = this.clock();
    this.rules = plan.rules.map((rule) => ({
      rule,
      methods: rule.kind === 'stale-search' ? (methodsOf(rule.method) ?? ['GET']) : methodsOf(rule.method),
      path: rule.path !== undefined ? compilePathPattern(rule.path) : undefined,
      nth: rule.nth !== undefined ? new Set(Array.isArray(rule.nth) ? rule.nth : [rule.nth]) : undefined,
      headers: rule.header !== undefined ? Object.entries(rule.header).map(([k, v]) => [k.toLowerCase(), v]) : undefined,
      matched: 0,
      injected: 0,
    }));
    return plan;
  }

  clear(): void {
    this.plan = undefined;
    this.rules = [];
    this.routeOrdinals.clear();
    this.ruleOrdinals.clear();
  }

  status(): { installed: boolean; seed: number; rules: RuleStatus[] } {
    const now = this.clock();
    return {
      installed: this.plan !== undefined,
      seed: this.seed,
      rules: this.rules.map((c, index) => ({
        index,
        kind: c.rule.kind,
        ...(c.rule.label !== undefined ? { label: c.rule.label } : {}),
        matched: c.matched,
        injected: c.injected,
        active: this.isActive(c, now),
      })),
    };
  }

  /** `headers`: the request's headers, lower-case names (as node gives them) */
  decide(method: string, path: string, headers: Record<string, string | string[] | undefined> = {}): FaultDecision | undefined {
    if (this.rules.length === 0) return undefined;
    const route = routeKey(method, path);
    const ordinal = (this.routeOrdinals.get(route) ?? 0) + 1;
    this.routeOrdinals.set(route, ordinal);
    const upper = method.toUpperCase();
    const now = this.clock();
    const decision: FaultDecision = { route, ordinal, latency: [] };
    this.rules.forEach((c, index) => {
      if (c.methods && !c.methods.includes(upper)) return;
      if (c.path && !c.path(path)) return;
      if (c.headers && !c.headers.every(([name, value]) => headers[name] === value)) return;
      if (!this.isActive(c, now)) return;
      c.matched++;
      const key = `${index}\u0000${route}`;
      const n = (this.ruleOrdinals.get(key) ?? 0) + 1;
      this.ruleOrdinals.set(key, n);
      if (c.nth && !c.nth.has(n)) return;
      const draw = (purpose: string) => unitDraw(this.seed, index, route, n, purpose);
      if (c.rule.probability !== undefined && draw('probability') >= c.rule.probability) return;
      const rule = c.rule;
      if (rule.kind === 'latency') {
        decision.latency.push({ rule: index, ms: sampleDelay(rule.delay, draw) });
      } else if (rule.kind === 'stale-search') {
        if (decision.stale) return;
        decision.stale = { rule: index, commitsAgo: rule.commitsAgo, msAgo: rule.msAgo };
      } else {
        if (decision.outcome) return;
        decision.outcome = { rule: index, fault: rule };
      }
      c.injected++;
    });
    return decision.latency.length > 0 || decision.stale || decision.outcome ? decision : undefined;
  }

  private isActive(c: CompiledRule, now: number): boolean {
    if (c.rule.times !== undefined && c.injected >= c.rule.times) return false;
    if (c.rule.durationMs !== undefined && now - this.installedAt >= c.rule.durationMs) return false;
    return true;
  }
}
