import { describe, expect, it } from 'vitest';
import { csvTextProblem, csvUploadProblem, MAX_UPLOAD_BYTES } from '../lib/uploads';

describe('CSV uploads', () => {
  const file = (name: string, type = '', size = 100) => ({ name, type, size });

  it('accept .csv and .txt files, and CSV types whatever the name', () => {
    expect(csvUploadProblem(file('credit-g.csv', 'text/csv'))).toBeNull();
    expect(csvUploadProblem(file('Credit-G.CSV'))).toBeNull();
    expect(csvUploadProblem(file('applications.txt', 'text/plain'))).toBeNull();
    expect(csvUploadProblem(file('export', 'application/vnd.ms-excel'))).toBeNull();
    expect(csvUploadProblem(file('export', 'text/csv; charset=utf-8'))).toBeNull();
  });

  it('refuse an empty file, one over the limit and one of another type, each with a message', () => {
    expect(csvUploadProblem(file('a.csv', 'text/csv', 0))).toBe('The file is empty.');
    expect(csvUploadProblem(file('a.csv', 'text/csv', MAX_UPLOAD_BYTES))).toBeNull();
    expect(csvUploadProblem(file('a.csv', 'text/csv', MAX_UPLOAD_BYTES + 1))).toBe('The file is larger than 25 MB.');
    expect(csvUploadProblem(file('photo.png', 'image/png'))).toBe(
      'Choose a CSV file (.csv or .txt); photo.png is not one.',
    );
    expect(csvUploadProblem(file('book.xlsx', ''))).toMatch(/Choose a CSV file/);
  });

  it('refuse binary content such as a workbook renamed .csv', () => {
    expect(csvTextProblem('a,b\n1,2\n')).toBeNull();
    expect(csvTextProblem('PK\u0003\u0004\u0000\u0000rest')).toMatch(/not a text CSV/);
  });
});
