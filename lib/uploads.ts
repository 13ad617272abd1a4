// Checks for uploaded CSV files, shared by the server actions (authoritative) and the upload forms (early, so a file
// that is too large never reaches the server's request-size limit). Each returns a message to show, or null.

/** The largest CSV upload accepted (the server-action body limit in next.config.js is a little above it). */
export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;
export const MAX_UPLOAD_LABEL = '25 MB';

const CSV_EXTENSIONS = ['.csv', '.txt'];
// What browsers send for a CSV: text/csv in most, application/vnd.ms-excel on Windows with Excel installed, and an
// empty type when the system does not know the extension.
const CSV_TYPES = [
  'text/csv',
  'text/plain',
  'application/csv',
  'application/vnd.ms-excel',
  'text/comma-separated-values',
];

export type UploadedFile = { name: string; size: number; type: string };

/** Size and type of an uploaded CSV, from what the browser says about it. */
export function csvUploadProblem(file: UploadedFile): string | null {
  if (file.size === 0) return 'The file is empty.';
  if (file.size > MAX_UPLOAD_BYTES) return `The file is larger than ${MAX_UPLOAD_LABEL}.`;
  const name = file.name.toLowerCase();
  const type = file.type.toLowerCase().split(';')[0].trim();
  const csvName = CSV_EXTENSIONS.some((ext) => name.endsWith(ext));
  if (!csvName && !CSV_TYPES.includes(type)) {
    return `Choose a CSV file (.csv or .txt); ${file.name || 'this file'} is not one.`;
  }
  return null;
}

/** The content of a CSV after reading it as text: a file with NUL bytes is binary (a spreadsheet, an image, …). */
export function csvTextProblem(text: string): string | null {
  const head = text.slice(0, 64 * 1024);
  if (head.includes('\u0000')) {
    return 'This file is not a text CSV (it looks like a binary file, e.g. an Excel workbook). Save it as CSV first.';
  }
  return null;
}
