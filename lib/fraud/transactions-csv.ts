// An uploaded transactions CSV → one record per data row with the fields scoring validates (txId, customerId,
// terminalId, timestamp, amount), values left as text for lib/fraud's validation to judge. The Handbook's column
// names (TRANSACTION_ID, CUSTOMER_ID, TERMINAL_ID, TX_DATETIME, TX_AMOUNT) are accepted too. Record i is data row
// i + 1 of the file, on line i + 2 (the header is line 1).

import Papa from 'papaparse';
import type { FieldError } from './index';

export const TRANSACTION_COLUMNS = ['txId', 'customerId', 'terminalId', 'timestamp', 'amount'] as const;
type Column = (typeof TRANSACTION_COLUMNS)[number];

const ALIASES: Record<string, Column> = {
  txid: 'txId',
  transaction_id: 'txId',
  tx_id: 'txId',
  customerid: 'customerId',
  customer_id: 'customerId',
  terminalid: 'terminalId',
  terminal_id: 'terminalId',
  timestamp: 'timestamp',
  tx_datetime: 'timestamp',
  datetime: 'timestamp',
  amount: 'amount',
  tx_amount: 'amount',
};

export const MAX_BATCH_ROWS = 100_000;

export type TransactionsCsv =
  | { ok: true; records: Record<Column, string>[]; ignoredColumns: string[] }
  | { ok: false; errors: FieldError[] };

const fileError = (field: string, message: string): { ok: false; errors: FieldError[] } => ({
  ok: false,
  errors: [{ row: null, txId: null, field, message }],
});

export function parseTransactionsCsv(text: string): TransactionsCsv {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy' });
  const rows = parsed.data;
  if (rows.length === 0) return fileError('(file)', 'the file is empty');
  const header = rows[0].map((h) => h.trim());
  const index = new Map<Column, number>();
  const ignored: string[] = [];
  header.forEach((h, i) => {
    const col = ALIASES[h.toLowerCase()];
    if (col && !index.has(col)) index.set(col, i);
    else if (h !== '') ignored.push(h);
  });
  const missing = TRANSACTION_COLUMNS.filter((c) => !index.has(c));
  if (missing.length > 0) {
    return fileError(
      '(header)',
      `the header must name the columns ${TRANSACTION_COLUMNS.join(', ')}; missing ${missing.join(', ')} (found ${header.join(', ') || 'nothing'})`,
    );
  }
  if (rows.length - 1 > MAX_BATCH_ROWS) {
    return fileError(
      '(file)',
      `at most ${MAX_BATCH_ROWS.toLocaleString('en-US')} rows per file, got ${rows.length - 1}`,
    );
  }
  if (rows.length === 1) return fileError('(file)', 'the file has a header but no data rows');
  const records = rows.slice(1).map((cells) => {
    const rec = {} as Record<Column, string>;
    for (const c of TRANSACTION_COLUMNS) rec[c] = (cells[index.get(c) as number] ?? '').trim();
    return rec;
  });
  return { ok: true, records, ignoredColumns: ignored };
}
