// Domain types of credit scoring: column profiles of an imported file, the feature schema a model scores against,
// one application's values, and the per-field / per-row problems reported back to the user.

/** What a column holds, as inferred from its values and confirmed by the user. */
export type ColumnKind = 'numeric' | 'categorical' | 'date' | 'id';

/** A feature the model uses (date and id columns never are). */
export type FeatureKind = 'numeric' | 'categorical';

/** One application's feature values, converted at the boundary: numbers, category labels, or null when missing. */
export type Application = Record<string, number | string | null>;

export type CategoryCount = { value: string; count: number };

/** What the import found in one column, shown to the user for confirmation. */
export type ColumnProfile = {
  name: string;
  kind: ColumnKind;
  /** why the kind was inferred, in one sentence */
  kindReason: string;
  /** empty cells and NA-like markers (NA, N/A, null, NaN, ?) */
  missing: number;
  distinct: number;
  /** numeric columns: min / max / mean / standard deviation / median of the non-missing values */
  min?: number;
  max?: number;
  mean?: number;
  std?: number;
  median?: number;
  /** categorical columns: every category with its count, most frequent first (at most 50) */
  categories?: CategoryCount[];
  /** categories seen in fewer than 1 % of the rows (and fewer than 10 rows) */
  rareCategories?: CategoryCount[];
  /** date columns: first and last date, ISO yyyy-mm-dd */
  firstDate?: string;
  lastDate?: string;
  /** up to 5 example values as written in the file */
  examples: string[];
};

export type FeatureSpec = {
  /** column name in the data */
  name: string;
  /** plain-language name for forms and reasons, e.g. "Checking account balance" */
  label: string;
  kind: FeatureKind;
  /** numeric: smallest and largest value accepted when scoring (the training range plus a margin) */
  min?: number;
  max?: number;
  /** numeric: every training value was a whole number, so scoring accepts whole numbers only */
  integer?: boolean;
  /** categorical: the categories seen in the training data; scoring rejects any other */
  categories?: string[];
  /** categorical: plain-language text per category, for forms and reasons (from a code book) */
  categoryLabels?: Record<string, string>;
  /** categorical: a sentence per category stating the applicant's situation, used as its reason code */
  categoryReasons?: Record<string, string>;
  /** the training data had missing values here, so scoring accepts a missing value (it is imputed) */
  allowMissing: boolean;
  /** numeric: unit shown after values, e.g. "DM", "months" */
  unit?: string;
};

/** A problem with one field of one application (form) or one row of a file. */
export type FieldError = {
  /** the field (column) name; '' for problems with the whole row or file */
  field: string;
  message: string;
};

/** A problem with a file or one of its rows. */
export type RowError = FieldError & {
  /** 1-based data row (the first row after the header is 1); 0 for problems with the whole file */
  row: number;
  /** 1-based line of the file (the header, if any, is line 1); 0 for problems with the whole file */
  line: number;
};

export type Result<T, E> = ({ ok: true } & T) | { ok: false; errors: E[] };
