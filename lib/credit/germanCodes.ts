// Code book of the Statlog (German Credit Data) set (Hofmann, Universität Hamburg; UCI `german.doc` /
// `german.names`): the 20 attributes of the coded file `german.csv` (A11 … A202), the label each code has in the
// named OpenML "credit-g" file `credit-g.csv`, and plain-language text for forms and reason codes.
// Decoding `german.csv` through this book gives exactly the rows of `credit-g.csv` (checked by a test).

import type { FeatureKind } from './types';

export type GermanCode = {
  /** the value as written in credit-g.csv */
  value: string;
  /** the code book's description, as a form option */
  option: string;
  /** a sentence stating the applicant's situation, used as a reason code */
  reason: string;
};

export type GermanAttribute = {
  /** column name in credit-g.csv */
  name: string;
  /** plain-language name */
  label: string;
  kind: FeatureKind;
  unit?: string;
  /** coded attributes: code (e.g. 'A11') → label and texts */
  codes?: Record<string, GermanCode>;
};

/** The 20 attributes in file order (german.csv columns 1–20), then the class in column 21. */
export const GERMAN_ATTRIBUTES: readonly GermanAttribute[] = [
  {
    name: 'checking_status',
    label: 'Checking account balance',
    kind: 'categorical',
    codes: {
      A11: { value: '<0', option: 'below 0 DM', reason: 'Checking account balance is below 0 DM' },
      A12: {
        value: '0<=X<200',
        option: '0 to 200 DM',
        reason: 'Checking account balance is between 0 and 200 DM',
      },
      A13: {
        value: '>=200',
        option: '200 DM or more, or salary paid in for at least 1 year',
        reason: 'Checking account balance is 200 DM or more',
      },
      A14: { value: 'no checking', option: 'no checking account', reason: 'Applicant has no checking account' },
    },
  },
  { name: 'duration', label: 'Loan duration', kind: 'numeric', unit: 'months' },
  {
    name: 'credit_history',
    label: 'Credit history',
    kind: 'categorical',
    codes: {
      A30: {
        value: 'no credits/all paid',
        option: 'no credits taken, or all credits paid back duly',
        reason: 'No credits taken before, or all paid back duly',
      },
      A31: {
        value: 'all paid',
        option: 'all credits at this bank paid back duly',
        reason: 'All credits at this bank were paid back duly',
      },
      A32: {
        value: 'existing paid',
        option: 'existing credits paid back duly till now',
        reason: 'Existing credits are being paid back duly',
      },
      A33: {
        value: 'delayed previously',
        option: 'delay in paying off in the past',
        reason: 'Payments were delayed in the past',
      },
      A34: {
        value: 'critical/other existing credit',
        option: 'critical account, or other credits existing (not at this bank)',
        reason: 'Critical account, or credits existing at other banks',
      },
    },
  },
  {
    name: 'purpose',
    label: 'Purpose of the loan',
    kind: 'categorical',
    codes: {
      A40: { value: 'new car', option: 'car (new)', reason: 'Loan purpose is a new car' },
      A41: { value: 'used car', option: 'car (used)', reason: 'Loan purpose is a used car' },
      A42: {
        value: 'furniture/equipment',
        option: 'furniture / equipment',
        reason: 'Loan purpose is furniture or equipment',
      },
      A43: { value: 'radio/tv', option: 'radio / television', reason: 'Loan purpose is a radio or television' },
      A44: {
        value: 'domestic appliance',
        option: 'domestic appliances',
        reason: 'Loan purpose is domestic appliances',
      },
      A45: { value: 'repairs', option: 'repairs', reason: 'Loan purpose is repairs' },
      A46: { value: 'education', option: 'education', reason: 'Loan purpose is education' },
      // A47 (vacation) is listed in the code book but occurs in no row
      A47: { value: 'vacation', option: 'vacation', reason: 'Loan purpose is a vacation' },
      A48: { value: 'retraining', option: 'retraining', reason: 'Loan purpose is retraining' },
      A49: { value: 'business', option: 'business', reason: 'Loan purpose is business' },
      A410: { value: 'other', option: 'others', reason: 'Loan purpose is other' },
    },
  },
  { name: 'credit_amount', label: 'Credit amount', kind: 'numeric', unit: 'DM' },
  {
    name: 'savings_status',
    label: 'Savings account / bonds',
    kind: 'categorical',
    codes: {
      A61: { value: '<100', option: 'below 100 DM', reason: 'Savings are below 100 DM' },
      A62: { value: '100<=X<500', option: '100 to 500 DM', reason: 'Savings are between 100 and 500 DM' },
      A63: { value: '500<=X<1000', option: '500 to 1000 DM', reason: 'Savings are between 500 and 1000 DM' },
      A64: { value: '>=1000', option: '1000 DM or more', reason: 'Savings are 1000 DM or more' },
      A65: {
        value: 'no known savings',
        option: 'unknown / no savings account',
        reason: 'No known savings account',
      },
    },
  },
  {
    name: 'employment',
    label: 'Present employment since',
    kind: 'categorical',
    codes: {
      A71: { value: 'unemployed', option: 'unemployed', reason: 'Applicant is unemployed' },
      A72: { value: '<1', option: 'less than 1 year', reason: 'Employed for less than 1 year' },
      A73: { value: '1<=X<4', option: '1 to 4 years', reason: 'Employed for 1 to 4 years' },
      A74: { value: '4<=X<7', option: '4 to 7 years', reason: 'Employed for 4 to 7 years' },
      A75: { value: '>=7', option: '7 years or more', reason: 'Employed for 7 years or more' },
    },
  },
  {
    name: 'installment_commitment',
    label: 'Instalment rate (% of disposable income)',
    kind: 'numeric',
    unit: '',
  },
  {
    name: 'personal_status',
    label: 'Personal status and sex',
    kind: 'categorical',
    codes: {
      A91: { value: 'male div/sep', option: 'male, divorced / separated', reason: 'Male, divorced or separated' },
      A92: {
        value: 'female div/dep/mar',
        option: 'female, divorced / separated / married',
        reason: 'Female, divorced, separated or married',
      },
      A93: { value: 'male single', option: 'male, single', reason: 'Male, single' },
      A94: { value: 'male mar/wid', option: 'male, married / widowed', reason: 'Male, married or widowed' },
      // A95 (female, single) is listed in the code book but occurs in no row
      A95: { value: 'female single', option: 'female, single', reason: 'Female, single' },
    },
  },
  {
    name: 'other_parties',
    label: 'Other debtors / guarantors',
    kind: 'categorical',
    codes: {
      A101: { value: 'none', option: 'none', reason: 'No co-applicant or guarantor' },
      A102: { value: 'co applicant', option: 'co-applicant', reason: 'Loan has a co-applicant' },
      A103: { value: 'guarantor', option: 'guarantor', reason: 'Loan has a guarantor' },
    },
  },
  { name: 'residence_since', label: 'Present residence since', kind: 'numeric', unit: 'years' },
  {
    name: 'property_magnitude',
    label: 'Property',
    kind: 'categorical',
    codes: {
      A121: { value: 'real estate', option: 'real estate', reason: 'Applicant owns real estate' },
      A122: {
        value: 'life insurance',
        option: 'building society savings agreement / life insurance',
        reason: 'Most valuable property is a savings agreement or life insurance',
      },
      A123: {
        value: 'car',
        option: 'car or other (not savings)',
        reason: 'Most valuable property is a car or other',
      },
      A124: { value: 'no known property', option: 'unknown / no property', reason: 'No known property' },
    },
  },
  { name: 'age', label: 'Age', kind: 'numeric', unit: 'years' },
  {
    name: 'other_payment_plans',
    label: 'Other instalment plans',
    kind: 'categorical',
    codes: {
      A141: { value: 'bank', option: 'bank', reason: 'Has other instalment plans at a bank' },
      A142: { value: 'stores', option: 'stores', reason: 'Has instalment plans at stores' },
      A143: { value: 'none', option: 'none', reason: 'No other instalment plans' },
    },
  },
  {
    name: 'housing',
    label: 'Housing',
    kind: 'categorical',
    codes: {
      A151: { value: 'rent', option: 'rent', reason: 'Applicant rents their home' },
      A152: { value: 'own', option: 'own', reason: 'Applicant owns their home' },
      A153: { value: 'for free', option: 'for free', reason: 'Applicant lives for free' },
    },
  },
  { name: 'existing_credits', label: 'Existing credits at this bank', kind: 'numeric', unit: '' },
  {
    name: 'job',
    label: 'Job',
    kind: 'categorical',
    codes: {
      A171: {
        value: 'unemp/unskilled non res',
        option: 'unemployed / unskilled, non-resident',
        reason: 'Unemployed or unskilled, non-resident',
      },
      A172: { value: 'unskilled resident', option: 'unskilled, resident', reason: 'Unskilled job' },
      A173: { value: 'skilled', option: 'skilled employee / official', reason: 'Skilled employee or official' },
      A174: {
        value: 'high qualif/self emp/mgmt',
        option: 'management / self-employed / highly qualified / officer',
        reason: 'Management, self-employed or highly qualified job',
      },
    },
  },
  { name: 'num_dependents', label: 'People liable to maintain', kind: 'numeric', unit: '' },
  {
    name: 'own_telephone',
    label: 'Telephone',
    kind: 'categorical',
    codes: {
      A191: { value: 'none', option: 'none', reason: 'No telephone registered' },
      A192: {
        value: 'yes',
        option: "yes, registered under the customer's name",
        reason: "Telephone registered under the applicant's name",
      },
    },
  },
  {
    name: 'foreign_worker',
    label: 'Foreign worker',
    kind: 'categorical',
    codes: {
      A201: { value: 'yes', option: 'yes', reason: 'Applicant is a foreign worker' },
      A202: { value: 'no', option: 'no', reason: 'Applicant is not a foreign worker' },
    },
  },
];

/** Column 21 of german.csv: 1 = good, 2 = bad; credit-g.csv calls it `class` with good / bad. */
export const GERMAN_TARGET = { name: 'class', codes: { '1': 'good', '2': 'bad' } as Record<string, string> };

/** The UCI cost matrix: accepting a bad applicant costs 5, rejecting a good one costs 1. */
export const GERMAN_COSTS = { badApproved: 5, goodDeclined: 1 } as const;

const BY_NAME = new Map(GERMAN_ATTRIBUTES.map((a) => [a.name, a]));

/** The attribute of a credit-g column name, if it is one. */
export function germanAttribute(name: string): GermanAttribute | undefined {
  return BY_NAME.get(name);
}

/** Whether records (without header) look like the coded german.csv: 21 columns, A1x in the first, 1/2 in the last. */
export function looksLikeGermanCoded(records: readonly string[][]): boolean {
  if (records.length === 0) return false;
  const first = GERMAN_ATTRIBUTES[0].codes!;
  return records.every(
    (r) => r.length === 21 && Object.hasOwn(first, r[0].trim()) && Object.hasOwn(GERMAN_TARGET.codes, r[20].trim()),
  );
}

export type DecodeProblem = { record: number; column: string; value: string; message: string };

/**
 * Translates coded german.csv records into credit-g.csv form: named columns, labels instead of codes, class
 * good / bad. Numeric attributes are copied. Problems name the record (0-based) and column.
 */
export function decodeGermanRecords(records: readonly string[][]): {
  columns: string[];
  records: string[][];
  problems: DecodeProblem[];
} {
  const columns = [...GERMAN_ATTRIBUTES.map((a) => a.name), GERMAN_TARGET.name];
  const problems: DecodeProblem[] = [];
  const out = records.map((r, i) => {
    if (r.length !== 21) {
      problems.push({ record: i, column: '', value: '', message: `has ${r.length} fields, expected 21` });
      return r.slice();
    }
    const row = GERMAN_ATTRIBUTES.map((a, j) => {
      const v = r[j].trim();
      if (!a.codes) return v;
      const code = Object.hasOwn(a.codes, v) ? a.codes[v] : undefined;
      if (!code) {
        problems.push({
          record: i,
          column: a.name,
          value: v,
          message: `code "${v}" is not in the code book (expected one of ${Object.keys(a.codes).join(', ')})`,
        });
        return v;
      }
      return code.value;
    });
    const cls = r[20].trim();
    const label = Object.hasOwn(GERMAN_TARGET.codes, cls) ? GERMAN_TARGET.codes[cls] : undefined;
    if (label === undefined) {
      problems.push({ record: i, column: 'class', value: cls, message: `class "${cls}" is not 1 (good) or 2 (bad)` });
    }
    row.push(label ?? cls);
    return row;
  });
  return { columns, records: out, problems };
}

/** Plain-language texts for a credit-g column: option text and reason sentence per value label. */
export function germanValueTexts(name: string): { options: Record<string, string>; reasons: Record<string, string> } {
  const a = BY_NAME.get(name);
  const options: Record<string, string> = {};
  const reasons: Record<string, string> = {};
  for (const c of Object.values(a?.codes ?? {})) {
    options[c.value] = c.option;
    reasons[c.value] = c.reason;
  }
  return { options, reasons };
}
