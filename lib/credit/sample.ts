// The bundled synthetic loan-application sample for the first start: generated from a seeded generator (so nothing
// is shipped as a file), labelled synthetic everywhere. Defaults follow a known logistic model of the applicant's
// repayment burden, history and account status, so a trained model has something real to find; `region` has no
// effect by construction.

import type { Kysely } from 'kysely';
import { Rng } from '../nn/rng';
import { listDatasets } from '../store/repos/datasets';
import type { Database } from '../store/schema';
import { CREDIT_DATASET_KIND, importCreditDataset } from './creditDatasets';

export const CREDIT_SAMPLE = {
  name: 'Synthetic loan applications (generated sample)',
  rows: 2000,
  seed: 6,
  target: 'defaulted',
  badValue: 'yes',
  source: 'generator: lib/credit/sample.ts v1, seed 6 (synthetic)',
} as const;

function pick<T>(rng: Rng, items: readonly (readonly [T, number])[]): T {
  let u = rng.uniform();
  for (const [v, w] of items) {
    if (u < w) return v;
    u -= w;
  }
  return items[items.length - 1][0];
}

function clip(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

function csvCell(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * A CSV of synthetic applications: id, date, age, monthly_income, loan_amount, term_months, employment_years,
 * housing, purpose, previous_defaults, checking_balance, region, and the target `defaulted` (yes / no, ~20 % yes).
 * The bad probability is σ(η) with
 *   η = −2.3 + 12·(burden − 0.08) + 0.85·previous_defaults + account effect + 0.025·max(0, 30 − age)
 *       − 0.04·employment_years + 0.35·[rent] + 0.4·[business] + 0.25·[education] + 0.3·[income missing],
 * burden = loan_amount / (monthly_income · term_months), account effect −0.6 (high) … +0.7 (negative).
 */
export function generateCreditSample(options: { rows?: number; seed?: number } = {}): string {
  const rows = options.rows ?? CREDIT_SAMPLE.rows;
  const rng = new Rng(options.seed ?? CREDIT_SAMPLE.seed);
  const header = [
    'application_id',
    'application_date',
    'age',
    'monthly_income',
    'loan_amount',
    'term_months',
    'employment_years',
    'housing',
    'purpose',
    'previous_defaults',
    'checking_balance',
    'region',
    'defaulted',
  ];
  const lines = [header.join(',')];
  const start = Date.UTC(2023, 0, 2);
  const account = {
    negative: 0.7,
    low: 0.25,
    moderate: 0,
    high: -0.6,
    'no account': 0.35,
  } as const;
  for (let i = 0; i < rows; i++) {
    const age = Math.round(clip(rng.normal(40, 12), 18, 80));
    const incomeMissing = rng.uniform() < 0.03;
    const income = Math.round(Math.exp(rng.normal(Math.log(3200), 0.45)) / 10) * 10;
    const amount = Math.round(clip(Math.exp(rng.normal(Math.log(9000), 0.7)), 500, 60000) / 100) * 100;
    const term = pick(rng, [
      [12, 0.15],
      [24, 0.25],
      [36, 0.3],
      [48, 0.15],
      [60, 0.15],
    ] as const);
    const employmentMissing = rng.uniform() < 0.02;
    const employment = Math.round(clip(rng.normal((age - 20) * 0.35, 4), 0, age - 16) * 10) / 10;
    const housing = pick(rng, [
      ['own', 0.35],
      ['mortgage', 0.25],
      ['rent', 0.35],
      ['with family', 0.05],
    ] as const);
    const purpose = pick(rng, [
      ['car', 0.3],
      ['home improvement', 0.2],
      ['debt consolidation', 0.3],
      ['education', 0.1],
      ['business', 0.08],
      ['boat', 0.02],
    ] as const);
    const previousDefaults = pick(rng, [
      [0, 0.8],
      [1, 0.14],
      [2, 0.05],
      [3, 0.01],
    ] as const);
    const checking = pick(rng, [
      ['negative', 0.2],
      ['low', 0.3],
      ['moderate', 0.25],
      ['high', 0.1],
      ['no account', 0.15],
    ] as const);
    const region = pick(rng, [
      ['north', 0.25],
      ['south', 0.25],
      ['east', 0.25],
      ['west', 0.25],
    ] as const);
    const burden = amount / (income * term);
    const eta =
      -2.3 +
      12 * (burden - 0.08) +
      0.85 * previousDefaults +
      account[checking] +
      0.025 * Math.max(0, 30 - age) -
      0.04 * employment +
      (housing === 'rent' ? 0.35 : 0) +
      (purpose === 'business' ? 0.4 : purpose === 'education' ? 0.25 : 0) +
      (incomeMissing ? 0.3 : 0);
    const bad = rng.uniform() < 1 / (1 + Math.exp(-eta));
    const date = new Date(start + Math.floor((i * 365) / rows) * 86_400_000).toISOString().slice(0, 10);
    lines.push(
      [
        `APP-${String(i + 1).padStart(5, '0')}`,
        date,
        age,
        incomeMissing ? null : income,
        amount,
        term,
        employmentMissing ? null : employment,
        housing,
        purpose,
        previousDefaults,
        checking,
        region,
        bad ? 'yes' : 'no',
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Adds the synthetic sample dataset unless it exists (matched by source); returns what it created. */
export async function seedCreditSample(db: Kysely<Database>): Promise<string[]> {
  const existing = await listDatasets(db, { kind: CREDIT_DATASET_KIND });
  if (existing.some((d) => d.source === CREDIT_SAMPLE.source)) return [];
  const imported = await importCreditDataset(db, {
    text: generateCreditSample(),
    name: CREDIT_SAMPLE.name,
    source: CREDIT_SAMPLE.source,
    synthetic: true,
    target: CREDIT_SAMPLE.target,
    badValue: CREDIT_SAMPLE.badValue,
    createdBy: null,
  });
  if (!imported.ok) {
    throw new Error(`seeding the credit sample failed: ${imported.errors.map((e) => e.message).join('; ')}`);
  }
  return [`dataset: ${CREDIT_SAMPLE.name}`];
}
