// The card-transaction simulator of the Fraud Detection Handbook (Le Borgne et al., "Reproducible Machine Learning
// for Credit Card Fraud Detection — Practical Handbook", ch. 3.2): customer and terminal profiles on a 100 × 100
// grid, transactions day by day, and its three fraud scenarios. Pure and seeded: the same config gives the same
// transactions, bit for bit, and any day can be generated on its own (each day and each daily compromise draw has
// its own Rng derived from the seed), so a dataset can be streamed day by day and later continued with "live" days.
//
// Departures from the Handbook's code, for streaming: compromises are drawn on every day including the last (the
// Handbook skips the last day); a compromised card's frauds are Bernoulli(1/3) per transaction rather than an exact
// third of its 14 days' transactions; numbers of compromises per day may be fractional rates (the integer part
// every day, plus one more with the fractional probability) so that small datasets keep the Handbook's fraud rate.

import { Rng } from '../nn/rng';

export type SimulatorConfig = {
  seed: number;
  /** Handbook default 5,000 */
  customers: number;
  /** Handbook default 10,000 */
  terminals: number;
  /** days of history to generate */
  days: number;
  /** day 0, 'YYYY-MM-DD' (UTC); Handbook 2018-04-01 */
  startDate: string;
  /** a customer uses the terminals within this distance of home (grid units; Handbook 5) */
  radius: number;
  /** scenario 1: every transaction above this amount is fraud (Handbook 220) */
  amountThreshold: number;
  /** scenario 2: terminals compromised per day (Handbook 2) */
  compromisedTerminalsPerDay: number;
  /** scenario 2: every transaction on a compromised terminal is fraud for this many days from the draw (28) */
  terminalFraudDays: number;
  /** scenario 3: cards (customers) compromised per day (Handbook 3) */
  compromisedCardsPerDay: number;
  /** scenario 3: days a compromised card is used by the fraudster (14) */
  cardFraudDays: number;
  /** scenario 3: share of the card's transactions in that period that are fraudulent (1/3) */
  cardFraudShare: number;
  /** scenario 3: fraudulent amounts are the customer's amount times this (5) */
  cardFraudMultiplier: number;
};

export const HANDBOOK_SIMULATOR_CONFIG: SimulatorConfig = {
  seed: 0,
  customers: 5000,
  terminals: 10_000,
  days: 120,
  startDate: '2018-04-01',
  radius: 5,
  amountThreshold: 220,
  compromisedTerminalsPerDay: 2,
  terminalFraudDays: 28,
  compromisedCardsPerDay: 3,
  cardFraudDays: 14,
  cardFraudShare: 1 / 3,
  cardFraudMultiplier: 5,
};

/**
 * Presets. 'small' (tests, e2e, demos) has 1/25 of the Handbook's customers and terminals, so about one
 * transaction per terminal per day as in the Handbook; its compromise rates are the Handbook's scaled to that
 * population and then tripled, so that a 30-day run has enough frauds to train and evaluate on (about 1.2 % fraud over 30 days, rising to
 * 2 % once the 28-day terminal compromises have built up, against the Handbook's 0.8 %).
 */
export const SIMULATOR_PRESETS = {
  default: HANDBOOK_SIMULATOR_CONFIG,
  small: {
    ...HANDBOOK_SIMULATOR_CONFIG,
    customers: 200,
    terminals: 400,
    days: 30,
    compromisedTerminalsPerDay: (3 * 2 * 400) / 10_000,
    compromisedCardsPerDay: (3 * 3 * 200) / 5000,
  },
} as const satisfies Record<string, SimulatorConfig>;

export type SimulatorPreset = keyof typeof SIMULATOR_PRESETS;

export const DAY_MS = 86_400_000;

/** ms since epoch of a 'YYYY-MM-DD' date at 00:00 UTC; throws on anything else. */
export function parseStartDate(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) {
    throw new Error(`startDate must be a calendar date 'YYYY-MM-DD', got '${date}'`);
  }
  return ms;
}

/** 'YYYY-MM-DD' of day `day` after startMs (UTC). */
export function dayDate(startMs: number, day: number): string {
  return new Date(startMs + day * DAY_MS).toISOString().slice(0, 10);
}

export function validateSimulatorConfig(cfg: SimulatorConfig): string[] {
  const errors: string[] = [];
  const int = (name: keyof SimulatorConfig, min: number, max: number) => {
    const v = cfg[name] as number;
    if (!Number.isInteger(v) || v < min || v > max)
      errors.push(`${name} must be an integer in [${min}, ${max}], got ${v}`);
  };
  const real = (name: keyof SimulatorConfig, min: number, max: number) => {
    const v = cfg[name] as number;
    if (!(typeof v === 'number' && v >= min && v <= max))
      errors.push(`${name} must be a number in [${min}, ${max}], got ${v}`);
  };
  int('seed', 0, 2 ** 32 - 1);
  int('customers', 1, 100_000);
  int('terminals', 1, 200_000);
  int('days', 1, 3650);
  real('radius', 0, 150);
  real('amountThreshold', 0, 1e9);
  real('compromisedTerminalsPerDay', 0, 1000);
  int('terminalFraudDays', 1, 365);
  real('compromisedCardsPerDay', 0, 1000);
  int('cardFraudDays', 1, 365);
  real('cardFraudShare', 0, 1);
  real('cardFraudMultiplier', 1, 1000);
  try {
    parseStartDate(cfg.startDate);
  } catch (err) {
    errors.push((err as Error).message);
  }
  return errors;
}

/** Customer profiles as columns, index = customer id. */
export type CustomerProfiles = {
  n: number;
  x: Float64Array;
  y: Float64Array;
  /** uniform in [5, 100] */
  meanAmount: Float64Array;
  /** meanAmount / 2 */
  stdAmount: Float64Array;
  /** uniform in [0, 4] */
  meanTxPerDay: Float64Array;
  /** terminals within the radius, customer c's are availableTerminals[availableStart[c] .. availableStart[c+1]) */
  availableStart: Int32Array;
  availableTerminals: Int32Array;
};

export type TerminalProfiles = { n: number; x: Float64Array; y: Float64Array };

/** One simulated day's transactions, in time order. */
export type SimulatedDay = {
  day: number;
  n: number;
  /** 'sim-<day>-<index in day>' */
  txId: string[];
  customer: Int32Array;
  terminal: Int32Array;
  /** ms since epoch */
  ts: Float64Array;
  /** after scenario 3's inflation, rounded to cents */
  amount: Float64Array;
  /** 0 genuine, else the fraud scenario (1–3); the last scenario applied wins, as in the Handbook */
  scenario: Int8Array;
  /** terminals and cards whose compromise was drawn on this day */
  newCompromisedTerminals: number[];
  newCompromisedCards: number[];
};

/** A 32-bit seed for stream `stream` of day `day`, mixed so neighbouring days give unrelated generators. */
function streamSeed(seed: number, stream: number, day: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(stream + 1, 0xc2b2ae35) ^ Math.imul(day + 1, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const STREAM_PROFILES = 0;
const STREAM_DAY = 1;
const STREAM_TERMINALS = 2;
const STREAM_CARDS = 3;

/** Poisson(λ) by Knuth's multiplication method (λ ≤ 4 here, so a handful of uniforms per draw). */
function poisson(rng: Rng, lambda: number): number {
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rng.uniform();
  while (p > limit) {
    k++;
    p *= rng.uniform();
  }
  return k;
}

/** ⌊rate⌋ plus one more with probability rate − ⌊rate⌋. */
function countForRate(rng: Rng, rate: number): number {
  const base = Math.floor(rate);
  return base + (rng.uniform() < rate - base ? 1 : 0);
}

/** `count` distinct ids from [0, n), in draw order. */
function sampleDistinct(rng: Rng, n: number, count: number): number[] {
  const k = Math.min(count, n);
  const picked = new Set<number>();
  while (picked.size < k) picked.add(rng.int(n));
  return [...picked];
}

export function generateProfiles(cfg: SimulatorConfig): { customers: CustomerProfiles; terminals: TerminalProfiles } {
  const rng = new Rng(streamSeed(cfg.seed, STREAM_PROFILES, 0));
  const nc = cfg.customers;
  const nt = cfg.terminals;
  const customers = {
    n: nc,
    x: new Float64Array(nc),
    y: new Float64Array(nc),
    meanAmount: new Float64Array(nc),
    stdAmount: new Float64Array(nc),
    meanTxPerDay: new Float64Array(nc),
  };
  for (let c = 0; c < nc; c++) {
    customers.x[c] = rng.range(0, 100);
    customers.y[c] = rng.range(0, 100);
    customers.meanAmount[c] = rng.range(5, 100);
    customers.stdAmount[c] = customers.meanAmount[c] / 2;
    customers.meanTxPerDay[c] = rng.range(0, 4);
  }
  const terminals: TerminalProfiles = { n: nt, x: new Float64Array(nt), y: new Float64Array(nt) };
  for (let t = 0; t < nt; t++) {
    terminals.x[t] = rng.range(0, 100);
    terminals.y[t] = rng.range(0, 100);
  }

  // Terminals bucketed on a grid of radius-sized cells: a customer's candidates lie in the 3 × 3 cells around home.
  const r = cfg.radius;
  const cell = Math.max(r, 1);
  const side = Math.ceil(100 / cell) + 1;
  const cellOf = (v: number) => Math.min(side - 1, Math.floor(v / cell));
  const bucketStart = new Int32Array(side * side + 1);
  for (let t = 0; t < nt; t++) bucketStart[cellOf(terminals.y[t]) * side + cellOf(terminals.x[t]) + 1]++;
  for (let i = 0; i < side * side; i++) bucketStart[i + 1] += bucketStart[i];
  const bucket = new Int32Array(nt);
  const fill = bucketStart.slice(0, side * side);
  for (let t = 0; t < nt; t++) bucket[fill[cellOf(terminals.y[t]) * side + cellOf(terminals.x[t])]++] = t;

  const availableStart = new Int32Array(nc + 1);
  const found: number[] = [];
  const reach = Math.ceil(r / cell);
  for (let c = 0; c < nc; c++) {
    const cx = cellOf(customers.x[c]);
    const cy = cellOf(customers.y[c]);
    const mine: number[] = [];
    for (let gy = Math.max(0, cy - reach); gy <= Math.min(side - 1, cy + reach); gy++) {
      for (let gx = Math.max(0, cx - reach); gx <= Math.min(side - 1, cx + reach); gx++) {
        const b = gy * side + gx;
        for (let i = bucketStart[b]; i < bucketStart[b + 1]; i++) {
          const t = bucket[i];
          const dx = terminals.x[t] - customers.x[c];
          const dy = terminals.y[t] - customers.y[c];
          if (dx * dx + dy * dy < r * r) mine.push(t);
        }
      }
    }
    mine.sort((a, b) => a - b); // the Handbook lists them in terminal id order
    for (const t of mine) found.push(t);
    availableStart[c + 1] = found.length;
  }
  return {
    customers: { ...customers, availableStart, availableTerminals: Int32Array.from(found) },
    terminals,
  };
}

/**
 * Generates days of transactions for one config. Profiles are built once; compromise draws are memoised so that
 * each day costs O(its transactions + active compromises).
 */
export class TransactionSimulator {
  readonly cfg: SimulatorConfig;
  readonly startMs: number;
  readonly customers: CustomerProfiles;
  readonly terminals: TerminalProfiles;
  private readonly terminalDraws = new Map<number, number[]>();
  private readonly cardDraws = new Map<number, number[]>();

  constructor(cfg: SimulatorConfig) {
    const errors = validateSimulatorConfig(cfg);
    if (errors.length > 0) throw new Error(`invalid simulator config: ${errors.join('; ')}`);
    this.cfg = { ...cfg };
    this.startMs = parseStartDate(cfg.startDate);
    const p = generateProfiles(cfg);
    this.customers = p.customers;
    this.terminals = p.terminals;
  }

  /** Terminals whose compromise was drawn on `day` (scenario 2). */
  compromisedTerminalsDrawnOn(day: number): number[] {
    let v = this.terminalDraws.get(day);
    if (v === undefined) {
      const rng = new Rng(streamSeed(this.cfg.seed, STREAM_TERMINALS, day));
      v = sampleDistinct(rng, this.cfg.terminals, countForRate(rng, this.cfg.compromisedTerminalsPerDay));
      this.terminalDraws.set(day, v);
      this.terminalDraws.delete(day - this.cfg.terminalFraudDays - 1);
    }
    return v;
  }

  /** Customers whose card compromise was drawn on `day` (scenario 3). */
  compromisedCardsDrawnOn(day: number): number[] {
    let v = this.cardDraws.get(day);
    if (v === undefined) {
      const rng = new Rng(streamSeed(this.cfg.seed, STREAM_CARDS, day));
      v = sampleDistinct(rng, this.cfg.customers, countForRate(rng, this.cfg.compromisedCardsPerDay));
      this.cardDraws.set(day, v);
      this.cardDraws.delete(day - this.cfg.cardFraudDays - 1);
    }
    return v;
  }

  /** The transactions of one day (any day ≥ 0, also beyond cfg.days for "live" continuations). */
  day(day: number): SimulatedDay {
    if (!Number.isInteger(day) || day < 0) throw new Error(`day must be a non-negative integer, got ${day}`);
    const { customers: cp, cfg } = this;
    const rng = new Rng(streamSeed(cfg.seed, STREAM_DAY, day));
    const secs: number[] = [];
    const cust: number[] = [];
    const term: number[] = [];
    const amounts: number[] = [];
    // Handbook ch. 3.2.4: per customer, Poisson(mean rate) transactions; time of day ~ N(12 h, 20,000 s) truncated
    // to the day (draws outside are dropped); amount ~ N(mean, std), redrawn U(0, 2·mean) when negative; a terminal
    // picked uniformly among those within the radius (customers without one make no transactions).
    for (let c = 0; c < cp.n; c++) {
      const nTx = poisson(rng, cp.meanTxPerDay[c]);
      const lo = cp.availableStart[c];
      const nAvail = cp.availableStart[c + 1] - lo;
      for (let i = 0; i < nTx; i++) {
        const t = Math.trunc(rng.normal(86_400 / 2, 20_000));
        if (t <= 0 || t >= 86_400) continue;
        let amount = rng.normal(cp.meanAmount[c], cp.stdAmount[c]);
        if (amount < 0) amount = rng.range(0, cp.meanAmount[c] * 2);
        amount = Math.round(amount * 100) / 100;
        if (nAvail === 0) continue;
        secs.push(t);
        cust.push(c);
        term.push(cp.availableTerminals[lo + rng.int(nAvail)]);
        amounts.push(amount);
      }
    }
    const n = secs.length;
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => secs[a] - secs[b] || cust[a] - cust[b] || a - b);

    const out: SimulatedDay = {
      day,
      n,
      txId: new Array<string>(n),
      customer: new Int32Array(n),
      terminal: new Int32Array(n),
      ts: new Float64Array(n),
      amount: new Float64Array(n),
      scenario: new Int8Array(n),
      newCompromisedTerminals: this.compromisedTerminalsDrawnOn(day),
      newCompromisedCards: this.compromisedCardsDrawnOn(day),
    };
    const dayMs = this.startMs + day * DAY_MS;
    for (let i = 0; i < n; i++) {
      const k = order[i];
      out.txId[i] = `sim-${day}-${i}`;
      out.customer[i] = cust[k];
      out.terminal[i] = term[k];
      out.ts[i] = dayMs + secs[k] * 1000;
      out.amount[i] = amounts[k];
    }

    // Scenario 1: amounts above the threshold.
    for (let i = 0; i < n; i++) if (out.amount[i] > cfg.amountThreshold) out.scenario[i] = 1;
    // Scenario 2: terminals drawn on days (day − terminalFraudDays, day] are compromised today.
    const badTerminals = new Set<number>();
    for (let d = Math.max(0, day - cfg.terminalFraudDays + 1); d <= day; d++) {
      for (const t of this.compromisedTerminalsDrawnOn(d)) badTerminals.add(t);
    }
    if (badTerminals.size > 0) for (let i = 0; i < n; i++) if (badTerminals.has(out.terminal[i])) out.scenario[i] = 2;
    // Scenario 3: cards drawn on days (day − cardFraudDays, day]; each draw covering a transaction makes it
    // fraudulent with probability cardFraudShare and multiplies its amount.
    const cardDraws = new Map<number, number>();
    for (let d = Math.max(0, day - cfg.cardFraudDays + 1); d <= day; d++) {
      for (const c of this.compromisedCardsDrawnOn(d)) cardDraws.set(c, (cardDraws.get(c) ?? 0) + 1);
    }
    if (cardDraws.size > 0) {
      const fraudRng = new Rng(streamSeed(cfg.seed, STREAM_CARDS, day + 1_000_003));
      for (let i = 0; i < n; i++) {
        const draws = cardDraws.get(out.customer[i]);
        if (draws === undefined) continue;
        for (let k = 0; k < draws; k++) {
          if (fraudRng.uniform() < cfg.cardFraudShare) {
            out.amount[i] = Math.round(out.amount[i] * cfg.cardFraudMultiplier * 100) / 100;
            out.scenario[i] = 3;
          }
        }
      }
    }
    return out;
  }
}

/** Running totals of a simulation, and the figures reported for it. */
export type SimulationStats = {
  customers: number;
  terminals: number;
  /** customers with no terminal within the radius (they make no transactions) */
  customersWithoutTerminal: number;
  days: number;
  transactions: number;
  frauds: number;
  /** frauds / transactions */
  fraudRate: number;
  /** fraudulent transactions by scenario: amount, compromised terminal, compromised card */
  scenarios: { amount: number; terminal: number; card: number };
  compromisedTerminals: number;
  compromisedCards: number;
  perDay: { day: number; date: string; transactions: number; frauds: number }[];
};

export function emptyStats(sim: TransactionSimulator): SimulationStats {
  let without = 0;
  for (let c = 0; c < sim.customers.n; c++) {
    if (sim.customers.availableStart[c + 1] === sim.customers.availableStart[c]) without++;
  }
  return {
    customers: sim.customers.n,
    terminals: sim.terminals.n,
    customersWithoutTerminal: without,
    days: 0,
    transactions: 0,
    frauds: 0,
    fraudRate: 0,
    scenarios: { amount: 0, terminal: 0, card: 0 },
    compromisedTerminals: 0,
    compromisedCards: 0,
    perDay: [],
  };
}

export function addDayToStats(stats: SimulationStats, d: SimulatedDay, startMs: number): void {
  let frauds = 0;
  for (let i = 0; i < d.n; i++) {
    const s = d.scenario[i];
    if (s === 0) continue;
    frauds++;
    if (s === 1) stats.scenarios.amount++;
    else if (s === 2) stats.scenarios.terminal++;
    else stats.scenarios.card++;
  }
  stats.days++;
  stats.transactions += d.n;
  stats.frauds += frauds;
  stats.fraudRate = stats.transactions > 0 ? stats.frauds / stats.transactions : 0;
  stats.compromisedTerminals += d.newCompromisedTerminals.length;
  stats.compromisedCards += d.newCompromisedCards.length;
  stats.perDay.push({ day: d.day, date: dayDate(startMs, d.day), transactions: d.n, frauds });
}
