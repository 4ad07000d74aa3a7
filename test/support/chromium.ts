import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's `chromium` package: `.ci/run` installs it; Playwright's own browser download cannot work here. */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Skip a browser test on a machine without Chromium, except under CI, which installs it and must run the test. */
export const skipWithoutChromium = !existsSync(CHROMIUM) && process.env.CI !== 'true';
if (skipWithoutChromium) console.warn(`Skipping a browser test: no Chromium at ${CHROMIUM} (apt-get install chromium; .ci/run does).`);

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: CI must run the browser tests (apt-get install chromium).`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}
