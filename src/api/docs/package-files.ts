import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, sep } from 'node:path';
import { Readable } from 'node:stream';

/** What a browser may fetch from a package folder, and how it must read each kind. */
const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.map': 'application/json; charset=utf-8',
};

/** A plain file name: no separators, no `..`, no dotfiles; decoded `%2F` and `%5C` cannot slip through. */
const PLAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)+$/;

export interface PackageFiles {
  /** The installed version: part of every asset URL, so an upgrade is a new URL and old copies may be cached forever. */
  version: string;
  /** The file streamed with its content type, or undefined when the name is not a servable top-level file. */
  open(name: string): Promise<{ body: ReadableStream; contentType: string; size: number } | undefined>;
}

/**
 * Serves the top-level files of an installed npm package (its JS, CSS, images and source maps).
 * Only names of that shape are looked up, and only inside the package's own folder.
 */
export function packageFiles(packageName: string): PackageFiles {
  const manifest = createRequire(import.meta.url).resolve(`${packageName}/package.json`);
  const folder = dirname(manifest);
  const { version } = createRequire(import.meta.url)(manifest) as { version: string };
  return {
    version,
    async open(name) {
      const contentType = CONTENT_TYPES[extname(name)];
      if (!contentType || !PLAIN_NAME.test(name) || name.includes('..')) return undefined;
      const path = join(folder, name);
      if (dirname(path) !== folder || path.includes(`${sep}..`)) return undefined;
      const found = await stat(path).catch(() => undefined);
      if (!found?.isFile()) return undefined;
      return { body: Readable.toWeb(createReadStream(path)) as ReadableStream, contentType, size: found.size };
    },
  };
}
