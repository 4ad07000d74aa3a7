import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { historyFromJson, historyToJson, type History } from './history-json.js';

/** The committed histories: one JSON file per recorded order run, in the CLI's `--output json` format. */
export const HISTORIES_DIR = fileURLToPath(new URL('./histories/', import.meta.url));

/** The parts of a history event, in its JSON form, that the tests look at. */
interface HistoryEventJson {
  eventType: string;
  activityTaskScheduledEventAttributes?: { activityType?: { name?: string } };
  markerRecordedEventAttributes?: { markerName?: string; details?: { data?: { payloads?: { data?: string }[] } } };
}

export interface HistoryJson {
  events: HistoryEventJson[];
}

export interface HistoryFile {
  /** The file name, which is also the workflow ID the replayer reports it under. */
  file: string;
  json: HistoryJson;
}

/**
 * Histories recorded with the payload codec end in `.encrypted.json` and replay with the suite's test
 * key (test/support/payload-codec.ts); the others were recorded before encryption and replay plain.
 */
export const ENCRYPTED_HISTORY_SUFFIX = '.encrypted.json';
export const isEncryptedHistory = (file: string) => file.endsWith(ENCRYPTED_HISTORY_SUFFIX);

function historyFileNames(): string[] {
  return readdirSync(HISTORIES_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort();
}

const notAHistory = (file: string, why: string) => new Error(`${file} is not a history in the format of \`temporal workflow show --output json\`: ${why}`);

export function readHistoryFile(file: string): HistoryFile {
  let json: Partial<HistoryJson>;
  try {
    json = JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8')) as Partial<HistoryJson>;
  } catch (error) {
    throw notAHistory(file, (error as Error).message);
  }
  if (!Array.isArray(json.events)) throw notAHistory(file, 'it has no events array');
  return { file, json: { events: json.events } };
}

export function readHistoryFiles(): HistoryFile[] {
  return historyFileNames().map(readHistoryFile);
}

/** Parses a file's JSON into the proto the replayer takes; a file that is not a history throws, naming itself. */
export function parseHistory({ file, json }: HistoryFile): History {
  try {
    return historyFromJson(json);
  } catch (error) {
    throw notAHistory(file, (error as Error).message);
  }
}

/** Writes a history as `fetchHistory()` returns it, in the same proto JSON as the CLI prints. */
export function writeHistoryFile(file: string, history: History): void {
  writeFileSync(join(HISTORIES_DIR, file), `${historyToJson(history)}\n`);
}

/** The activities the workflow scheduled, in order. */
export function scheduledActivities({ json }: HistoryFile): string[] {
  return json.events.flatMap((e) => {
    const name = e.activityTaskScheduledEventAttributes?.activityType?.name;
    return name ? [name] : [];
  });
}

/** The activity types run as local activities (the lean saga's), in order: one `core_local_activity` marker each. */
export function localActivities({ json }: HistoryFile): string[] {
  return json.events.flatMap((e) => {
    const marker = e.markerRecordedEventAttributes;
    const data = marker?.markerName === 'core_local_activity' ? marker.details?.data?.payloads?.[0]?.data : undefined;
    if (!data) return [];
    const { activity_type: type } = JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as { activity_type?: string };
    return type ? [type] : [];
  });
}

/** Every activity the order ran, durable or local, in the order the history records them. */
export function ranActivities(file: HistoryFile): string[] {
  return file.json.events.flatMap((e) => {
    const name = e.activityTaskScheduledEventAttributes?.activityType?.name;
    if (name) return [name];
    return e.markerRecordedEventAttributes?.markerName === 'core_local_activity' ? localActivities({ file: file.file, json: { events: [e] } }) : [];
  });
}

/** The kinds of markers recorded (`core_patch` for a `patched()` call that took the new branch). */
export function recordedMarkers({ json }: HistoryFile): string[] {
  return json.events.flatMap((e) => {
    const name = e.markerRecordedEventAttributes?.markerName;
    return name ? [name] : [];
  });
}
