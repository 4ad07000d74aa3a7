import { percentile, sortedCopy, type Timeline } from '../measure/stats.js';

/**
 * Hand-written SVG: a latency histogram with its percentiles marked, a throughput-over-time line,
 * and latency CDFs side by side. No chart library: a few rectangles and polylines are enough.
 */

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface TextStyle {
  size?: number;
  fill?: string;
  anchor?: 'start' | 'middle' | 'end';
  weight?: number;
  rotate?: boolean;
}

export function text(x: number, y: number, content: string, { size = 11, fill = '#333', anchor = 'start', weight = 400, rotate = false }: TextStyle = {}): string {
  const transform = rotate ? ` transform="rotate(-90 ${x} ${y})"` : '';
  return `<text x="${x}" y="${y}" font-family="system-ui, sans-serif" font-size="${size}" font-weight="${weight}" fill="${fill}" text-anchor="${anchor}"${transform}>${escape(content)}</text>`;
}
export const COLOURS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea'];

const escape = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** 1, 2 or 5 times a power of ten: ticks a reader can add up. */
export function niceStep(span: number, ticks: number): number {
  const raw = span / Math.max(1, ticks);
  const power = 10 ** Math.floor(Math.log10(raw || 1));
  const step = [1, 2, 5, 10].map((m) => m * power).find((candidate) => candidate >= raw);
  return step ?? 10 * power;
}

function axes(box: Box, xMax: number, yMax: number, xLabel: string, yLabel: string): string {
  const parts: string[] = [];
  const xStep = niceStep(xMax, 6);
  const yStep = niceStep(yMax, 5);
  for (let x = 0; x <= xMax + 1e-9; x += xStep) {
    const px = box.x + (x / xMax) * box.width;
    parts.push(`<line x1="${px}" y1="${box.y + box.height}" x2="${px}" y2="${box.y + box.height + 4}" stroke="#333"/>`);
    parts.push(text(px, box.y + box.height + 16, formatTick(x), { anchor: 'middle' }));
  }
  for (let y = 0; y <= yMax + 1e-9; y += yStep) {
    const py = box.y + box.height - (y / yMax) * box.height;
    parts.push(`<line x1="${box.x}" y1="${py}" x2="${box.x + box.width}" y2="${py}" stroke="#e5e7eb"/>`);
    parts.push(text(box.x - 6, py + 4, formatTick(y), { anchor: 'end' }));
  }
  parts.push(`<rect x="${box.x}" y="${box.y}" width="${box.width}" height="${box.height}" fill="none" stroke="#333"/>`);
  parts.push(text(box.x + box.width / 2, box.y + box.height + 32, xLabel, { anchor: 'middle' }));
  parts.push(text(box.x - 44, box.y + box.height / 2, yLabel, { anchor: 'middle', rotate: true }));
  return parts.join('\n');
}

export const formatTick = (value: number) => (Math.abs(value) >= 1000 ? `${Number((value / 1000).toFixed(1))}k` : String(Number(value.toFixed(2))));

function title(box: Box, content: string): string {
  return text(box.x, box.y - 10, content, { size: 13, weight: 600 });
}

function histogram(box: Box, latenciesMs: number[], heading: string): string {
  const sorted = sortedCopy(latenciesMs);
  // The top 0.1 % would stretch the axis over nothing: it is clipped into the last bar.
  const xMax = Math.max(1, percentile(sorted, 99.9));
  const bins = 50;
  const counts = new Array<number>(bins).fill(0);
  for (const value of sorted) counts[Math.min(bins - 1, Math.floor((value / xMax) * bins))]! += 1;
  const yMax = Math.max(1, ...counts) * 1.1;
  const barWidth = box.width / bins;
  const bars = counts.map((count, bin) => {
    const height = (count / yMax) * box.height;
    return `<rect x="${box.x + bin * barWidth}" y="${box.y + box.height - height}" width="${Math.max(0.5, barWidth - 1)}" height="${height}" fill="${COLOURS[0]}" fill-opacity="0.7"/>`;
  });
  const markers = ([50, 95, 99] as const).map((p, index) => {
    const value = percentile(sorted, p);
    const px = box.x + (Math.min(value, xMax) / xMax) * box.width;
    return [
      `<line x1="${px}" y1="${box.y}" x2="${px}" y2="${box.y + box.height}" stroke="${COLOURS[1]}" stroke-dasharray="4 3"/>`,
      text(px + 3, box.y + 12 + index * 13, `p${p} ${Math.round(value)} ms`, { fill: COLOURS[1] }),
    ].join('\n');
  });
  return [title(box, heading), axes(box, xMax, yMax, 'latency (ms)', 'workflows'), ...bars, ...markers].join('\n');
}

function throughput(box: Box, series: { label: string; timeline: Timeline }[], heading: string): string {
  const seconds = Math.max(1, ...series.map((s) => s.timeline.counts.length));
  const yMax = Math.max(1, ...series.flatMap((s) => s.timeline.counts)) * 1.15;
  const lines = series.map(({ label, timeline }, index) => {
    const points = timeline.counts.map((count, second) => `${box.x + ((second + 0.5) / seconds) * box.width},${box.y + box.height - (count / yMax) * box.height}`);
    return [
      `<polyline points="${points.join(' ')}" fill="none" stroke="${COLOURS[index % COLOURS.length]}" stroke-width="1.5"/>`,
      text(box.x + box.width - 6, box.y + 14 + index * 13, label, { anchor: 'end', fill: COLOURS[index % COLOURS.length] }),
    ].join('\n');
  });
  return [title(box, heading), axes(box, seconds, yMax, 'seconds since the first start', 'per second'), ...lines].join('\n');
}

export function svg(width: number, height: number, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

/** One phase: its latency distribution on the left, its throughput over time on the right. */
export function phaseChart(options: { heading: string; latencyHeading: string; latenciesMs: number[]; series: { label: string; timeline: Timeline }[] }): string {
  const left: Box = { x: 70, y: 60, width: 400, height: 240 };
  const right: Box = { x: 580, y: 60, width: 400, height: 240 };
  return svg(1020, 360, [
    text(20, 24, options.heading, { size: 14, weight: 700 }),
    histogram(left, options.latenciesMs, options.latencyHeading),
    throughput(right, options.series, 'Throughput over time'),
  ]);
}

/** Latency CDFs of several phases on one axis: how far the orders sit from the floor, at every percentile. */
export function cdfChart(heading: string, curves: { label: string; latenciesMs: number[] }[]): string {
  const box: Box = { x: 70, y: 50, width: 620, height: 280 };
  const xMax = Math.max(1, ...curves.map((curve) => percentile(sortedCopy(curve.latenciesMs), 99.9)));
  const lines = curves.map(({ label, latenciesMs }, index) => {
    const sorted = sortedCopy(latenciesMs);
    const step = Math.max(1, Math.floor(sorted.length / 400));
    const points: string[] = [];
    for (let i = 0; i < sorted.length; i += step) {
      points.push(`${box.x + (Math.min(sorted[i]!, xMax) / xMax) * box.width},${box.y + box.height - ((i + 1) / sorted.length) * box.height}`);
    }
    return [
      `<polyline points="${points.join(' ')}" fill="none" stroke="${COLOURS[index % COLOURS.length]}" stroke-width="2"/>`,
      text(box.x + box.width - 8, box.y + box.height - 12 - index * 14, label, { anchor: 'end', fill: COLOURS[index % COLOURS.length] }),
    ].join('\n');
  });
  return svg(740, 390, [text(20, 24, heading, { size: 14, weight: 700 }), axes(box, xMax, 1, 'latency (ms)', 'share of workflows at or below'), ...lines]);
}
