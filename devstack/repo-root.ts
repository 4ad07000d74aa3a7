import { fileURLToPath } from 'node:url';

/** The checkout's root, so launchers find `.data/` and the sources wherever they are started from. */
export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
