import type { InFlightScalingResult } from '../phases/in-flight-scaling.js';
import { COLOURS, formatTick, niceStep, svg, text, type Box } from './charts.js';

/**
 * Phase 7 as an SVG (hand-written, like the other charts): throughput on the left and p50/p99 on
 * the right, against the in-flight count, one point per level at even spacing (the levels grow
 * about fourfold each, so even spacing is close to a log scale and labels every point).
 */
export function inFlightChart(heading: string, phase: InFlightScalingResult): string {
  const levels = phase.levels;
  const left: Box = { x: 70, y: 60, width: 400, height: 240 };
  const right: Box = { x: 580, y: 60, width: 400, height: 240 };
  const labels = levels.map((level) => String(level.inFlight));
  return svg(1020, 360, [
    text(20, 24, heading, { size: 14, weight: 700 }),
    panel(left, 'Orders completed per second', labels, [{ label: 'completed/s', values: levels.map((level) => level.completedPerSecond) }]),
    panel(right, 'POST → final status (ms)', labels, [
      { label: 'p99', values: levels.map((level) => level.toFinalStatusMs.p99) },
      { label: 'p50', values: levels.map((level) => level.toFinalStatusMs.p50) },
    ]),
  ]);
}

function panel(box: Box, heading: string, labels: string[], series: { label: string; values: number[] }[]): string {
  const finite = series.flatMap((s) => s.values).filter(Number.isFinite);
  const yMax = Math.max(1, ...finite) * 1.15;
  const xOf = (index: number) => box.x + ((index + 0.5) / Math.max(1, labels.length)) * box.width;
  const yOf = (value: number) => box.y + box.height - (value / yMax) * box.height;
  const parts: string[] = [text(box.x, box.y - 10, heading, { size: 13, weight: 600 })];
  const yStep = niceStep(yMax, 5);
  for (let y = 0; y <= yMax + 1e-9; y += yStep) {
    parts.push(`<line x1="${box.x}" y1="${yOf(y)}" x2="${box.x + box.width}" y2="${yOf(y)}" stroke="#e5e7eb"/>`);
    parts.push(text(box.x - 6, yOf(y) + 4, formatTick(y), { anchor: 'end' }));
  }
  labels.forEach((label, index) => parts.push(text(xOf(index), box.y + box.height + 16, label, { anchor: 'middle' })));
  parts.push(`<rect x="${box.x}" y="${box.y}" width="${box.width}" height="${box.height}" fill="none" stroke="#333"/>`);
  parts.push(text(box.x + box.width / 2, box.y + box.height + 32, 'orders in flight', { anchor: 'middle' }));
  series.forEach(({ label, values }, index) => {
    const colour = COLOURS[index % COLOURS.length]!;
    const points = values.map((value, at) => `${xOf(at)},${yOf(value)}`);
    parts.push(`<polyline points="${points.join(' ')}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    values.forEach((value, at) => {
      parts.push(`<circle cx="${xOf(at)}" cy="${yOf(value)}" r="3.5" fill="${colour}"/>`);
      parts.push(text(xOf(at), yOf(value) - 8, formatTick(Math.round(value * 10) / 10), { anchor: 'middle', fill: colour, size: 10 }));
    });
    parts.push(text(box.x + box.width - 6, box.y + 14 + index * 13, label, { anchor: 'end', fill: colour }));
  });
  return parts.join('\n');
}
