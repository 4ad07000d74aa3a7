/** A plain text table for the terminal, and the same rows as Markdown for the results folder. */
export interface Table {
  title: string;
  headers: string[];
  rows: string[][];
}

const TEXT_COLUMNS = new Set(['value', 'of what']);

export function renderText({ title, headers, rows }: Table): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  // Figures line up on the right; the first column and free text on the left.
  const leftAligned = headers.map((header, column) => column === 0 || TEXT_COLUMNS.has(header));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (leftAligned[column] ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [`\n${title}`, line(headers), widths.map((width) => '─'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

export function renderMarkdown({ title, headers, rows }: Table): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [`### ${title}`, '', line(headers), line(headers.map((_, column) => (column === 0 ? '---' : '---:'))), ...rows.map(line), ''].join('\n');
}

/** Numbers as the tables show them: three significant figures is all that run-to-run noise allows. */
export function num(value: number | undefined, digits = 0): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export const ms = (value: number | undefined) => (value !== undefined && value < 100 ? num(value, 1) : num(value));
export const times = (value: number | undefined) => (value === undefined || !Number.isFinite(value) ? '–' : `${num(value, 2)}×`);
