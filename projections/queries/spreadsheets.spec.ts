import ExcelJS from 'exceljs';
import { csvOf, unneutralised, xlsxOf } from './spreadsheets.js';

/** Text a spreadsheet would run, as OWASP lists its first characters, and what must stay as it is. */
const HOSTILE = ['=1+1', "+cmd|' /C calc'!A0", '-2+3', '@SUM(A1)', '\tTab', '\rReturn', '=HYPERLINK("http://evil.example","x")'];

describe('files the system writes', () => {
  it('writes CSV with every text cell that could run as a formula behind a quote, numbers as numbers, line breaks quoted', () => {
    const csv = csvOf(['Nội dung', 'Số tiền'], [...HOSTILE.map((text) => [text, 1]), ['Truy thu', -250000], ['a\rb', null], ['Đối tượng 3', 0]]);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.slice(1).split('\r\n')).toEqual([
      'Nội dung,Số tiền',
      "'=1+1,1",
      "'+cmd|' /C calc'!A0,1",
      "'-2+3,1",
      "'@SUM(A1),1",
      "'\tTab,1",
      `"'\rReturn",1`,
      `"'=HYPERLINK(""http://evil.example"",""x"")",1`,
      'Truy thu,-250000',
      '"a\rb",',
      'Đối tượng 3,0',
      '',
    ]);
  });

  it('writes xlsx text cells the same way, and leaves numbers, negative ones too, as numbers', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await xlsxOf('Sheet', ['Nội dung', 'Số tiền'], [...HOSTILE.map((text) => [text, -1])], [20, 10])) as unknown as ArrayBuffer);
    const rows = book.worksheets[0].getSheetValues().slice(2) as unknown[][];
    // XML reads a carriage return back as a line feed.
    expect(rows.map((row) => row.slice(1))).toEqual(HOSTILE.map((text) => [`'${text.replace('\r', '\n')}`, -1]));
  });

  it('reads back what it neutralised as it was, and nothing else', () => {
    expect(HOSTILE.map((text) => unneutralised(`'${text}`))).toEqual(HOSTILE);
    expect(unneutralised("'Nông")).toBe("'Nông");
    expect(unneutralised('=1+1')).toBe('=1+1');
  });
});
