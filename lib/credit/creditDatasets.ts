// Credit datasets in the store: importing a CSV (validated completely before anything is written, then the
// datasets row, every application row and the audit row in one transaction) and reading one back as an
// ApplicationTable for training.

import type { Kysely } from 'kysely';
import { withAudit } from '../store/repos/audit';
import { insertCreditRecords, listCreditRecords } from '../store/repos/credit';
import { createDataset, type Dataset, getDataset } from '../store/repos/datasets';
import type { Database } from '../store/schema';
import {
  type ApplicationTable,
  buildApplicationTable,
  isMissing,
  type ParsedCsv,
  parseApplicationTable,
  profileColumns,
  type ReadCsvOptions,
  type TableOptions,
} from './applicationsCsv';
import type { ColumnKind, ColumnProfile, Result, RowError } from './types';

export const CREDIT_DATASET_KIND = 'credit';

/** What a credit dataset's meta holds. */
export type CreditDatasetMeta = {
  columns: string[];
  /** confirmed kind of every column */
  kinds: Record<string, ColumnKind>;
  target: string;
  badValue: string;
  exclude: string[];
  bads: number;
  goods: number;
  hasHeader: boolean;
  germanCoded: boolean;
  profiles: ColumnProfile[];
};

export type ImportCreditOptions = TableOptions &
  ReadCsvOptions & {
    text: string;
    name: string;
    /** where the rows came from, e.g. the file name */
    source: string;
    synthetic?: boolean;
    createdBy: string | null;
    requestId?: string | null;
  };

export type ImportedCreditDataset = { dataset: Dataset; meta: CreditDatasetMeta; table: ApplicationTable };

/**
 * Validates the file as a training table (target column present, bad value present, both classes, numeric columns
 * numeric) and stores it. On any problem nothing is written and every problem is returned.
 */
export async function importCreditDataset(
  db: Kysely<Database>,
  options: ImportCreditOptions,
): Promise<Result<ImportedCreditDataset, RowError>> {
  const name = options.name?.trim();
  if (!name) return { ok: false, errors: [{ row: 0, line: 0, field: 'name', message: 'Give the dataset a name.' }] };
  const parsed = parseApplicationTable(options.text, options);
  if (!parsed.ok) return parsed;
  const { table, csv } = parsed;
  const profiles = profileColumns(csv);
  const kinds = Object.fromEntries(profiles.map((p) => [p.name, options.kinds?.[p.name] ?? p.kind]));
  const bads = table.y.reduce((a, b) => a + b, 0);
  const meta: CreditDatasetMeta = {
    columns: csv.columns,
    kinds,
    target: table.target,
    badValue: table.badValue,
    exclude: options.exclude ?? [],
    bads,
    goods: table.y.length - bads,
    hasHeader: csv.hasHeader,
    germanCoded: csv.germanCoded,
    profiles,
  };
  const dataset = await withAudit(
    db,
    async (trx) => {
      const ds = await createDataset(trx, {
        kind: CREDIT_DATASET_KIND,
        name,
        source: options.source,
        synthetic: options.synthetic ?? false,
        rowCount: csv.records.length,
        meta,
        createdBy: options.createdBy,
      });
      await insertCreditRecords(
        trx,
        ds.id,
        csv.records.map((r, i) => ({
          rowNo: i + 1,
          line: csv.lines[i],
          cells: Object.fromEntries(csv.columns.map((c, j) => [c, isMissing(r[j]) ? null : r[j]])),
        })),
      );
      return ds;
    },
    (ds) => ({
      userId: options.createdBy,
      action: 'dataset.import',
      objectType: 'dataset',
      objectId: ds.id,
      detail: { kind: CREDIT_DATASET_KIND, name, rows: ds.rowCount, bads, target: table.target },
      requestId: options.requestId ?? null,
    }),
  );
  return { ok: true, dataset, meta, table };
}

/** Overrides for reading a stored dataset as a training table (default: what was confirmed at import). */
export type LoadTableOptions = Partial<TableOptions>;

/** Reads a stored credit dataset back as a training table. */
export async function loadCreditTable(
  db: Kysely<Database>,
  datasetId: string,
  options: LoadTableOptions = {},
): Promise<Result<{ dataset: Dataset; table: ApplicationTable }, RowError>> {
  const fail = (message: string) => ({ ok: false as const, errors: [{ row: 0, line: 0, field: '', message }] });
  const dataset = await getDataset(db, datasetId);
  if (!dataset) return fail(`There is no dataset ${datasetId}.`);
  if (dataset.kind !== CREDIT_DATASET_KIND) {
    return fail(`Dataset "${dataset.name}" holds ${dataset.kind} data, not credit applications.`);
  }
  const meta = dataset.meta as CreditDatasetMeta;
  const records = await listCreditRecords(db, datasetId);
  const csv: ParsedCsv = {
    columns: meta.columns,
    records: records.map((r) => meta.columns.map((c) => r.cells[c] ?? '')),
    lines: records.map((r) => r.line),
    hasHeader: meta.hasHeader,
    germanCoded: meta.germanCoded,
  };
  const built = buildApplicationTable(csv, {
    target: options.target ?? meta.target,
    badValue: options.badValue ?? meta.badValue,
    kinds: { ...meta.kinds, ...options.kinds },
    exclude: options.exclude ?? meta.exclude,
  });
  if (!built.ok) return built;
  return { ok: true, dataset, table: built.table };
}
