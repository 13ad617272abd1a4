// The result and error files of a scored batch, held in this server process for download after the upload: the
// decisions themselves are stored in the database; the files (the input columns plus pd, score, decision and
// reasons, and the per-row error report) are kept for BATCH_FILE_TTL_MS or until the server restarts.

export const BATCH_FILE_TTL_MS = 24 * 60 * 60 * 1000;
/** at most this many batches are held; the oldest goes first */
export const MAX_BATCH_FILES = 20;

export type BatchFiles = {
  batchId: string;
  modelId: string;
  /** the uploaded file's name, for the download names */
  fileName: string;
  resultCsv: string;
  errorCsv: string;
  createdAt: number;
};

const holder = globalThis as typeof globalThis & { __neuralfinCreditBatchFiles?: Map<string, BatchFiles> };

function store(): Map<string, BatchFiles> {
  holder.__neuralfinCreditBatchFiles ??= new Map();
  return holder.__neuralfinCreditBatchFiles;
}

function expire(now: number): void {
  for (const [id, f] of store()) if (now - f.createdAt > BATCH_FILE_TTL_MS) store().delete(id);
}

export function keepBatchFiles(files: Omit<BatchFiles, 'createdAt'>, now = Date.now()): void {
  expire(now);
  const s = store();
  while (s.size >= MAX_BATCH_FILES) s.delete(s.keys().next().value as string);
  s.set(files.batchId, { ...files, createdAt: now });
}

/** The files of a batch, or undefined when they have expired or were never held here. */
export function getBatchFiles(batchId: string, now = Date.now()): BatchFiles | undefined {
  expire(now);
  return store().get(batchId);
}
