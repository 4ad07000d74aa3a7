import { describe, expect, it } from 'vitest';
import { endedDuringStartup, keepingLastLines, logFormatFor, prettyLogLine } from './foreground.js';

const tty = { isTTY: true } as NodeJS.WriteStream;
const pipe = { isTTY: false } as NodeJS.WriteStream;

describe('the foreground runner’s log format', () => {
  it('is pretty on a terminal and JSON elsewhere, unless LOG_FORMAT says', () => {
    expect(logFormatFor({}, tty)).toBe('pretty');
    expect(logFormatFor({}, pipe)).toBe('json');
    expect(logFormatFor({ LOG_FORMAT: 'json' }, tty)).toBe('json');
    expect(logFormatFor({ LOG_FORMAT: 'pretty' }, pipe)).toBe('pretty');
  });

  it('turns a pino line into a line a person reads, with its fields, and leaves other lines alone', () => {
    const pretty = prettyLogLine(false);
    const line = JSON.stringify({ level: 30, time: Date.UTC(2026, 11, 1, 12, 0, 1), pid: 1, hostname: 'h', name: 'api', orderId: 'o-1', msg: 'Order accepted' });
    const shown = pretty(line);
    expect(shown).toMatch(/INFO.*Order accepted/);
    expect(shown).toContain('"orderId":"o-1"');
    expect(shown).not.toContain('"hostname"');
    expect(pretty('Schema setup complete')).toBe('Schema setup complete');
    expect(pretty('{not json')).toBe('{not json');
  });
});

describe('keepingLastLines', () => {
  it('passes every line on and keeps only the last few of each source', () => {
    const passed: string[] = [];
    const { sink, lastLines } = keepingLastLines((source, line) => passed.push(`${source}:${line}`), 2);
    for (const line of ['one', 'two', 'three']) sink('api', line);
    sink('worker', 'polling');
    expect(passed).toEqual(['api:one', 'api:two', 'api:three', 'worker:polling']);
    expect(lastLines('api')).toEqual(['two', 'three']);
    expect(lastLines('worker')).toEqual(['polling']);
    expect(lastLines('payments')).toEqual([]);
  });
});

describe('endedDuringStartup', () => {
  it('quotes the last lines under what happened, and says only what happened when there were none', () => {
    expect(endedDuringStartup('api ended (code 1)', ['Error: listen EADDRINUSE', '    at Server.listen'])).toBe(
      'api ended (code 1) during startup; its last lines:\n  Error: listen EADDRINUSE\n      at Server.listen',
    );
    expect(endedDuringStartup('temporal matching exited (code 2)', [])).toBe('temporal matching exited (code 2) during startup');
  });
});
