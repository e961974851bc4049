import { chromium, type Browser } from 'playwright-core';
import { aptInstall, isExecutable } from './apt-install';

/*
 * Headless Chromium for tests that render pages. Debian's `chromium` package is used rather
 * than Playwright's downloaded browsers, so nothing is fetched from a browser CDN; when it is
 * missing it is installed with apt once. Tests that need it never skip: a missing browser
 * would otherwise pass silently in CI.
 */

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** No network side channels (updates, sync, QUIC), so tests can assert the page made no requests. */
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

let located: Promise<string> | undefined;

/** Path of a Chromium executable: `$CHROMIUM_PATH`, Debian's, or Debian's after installing it. */
export async function chromiumPath(): Promise<string> {
  const override = process.env.CHROMIUM_PATH;
  if (override) {
    if (!executable(override)) throw new Error(`CHROMIUM_PATH=${override} is not an executable file.`);
    return override;
  }
  // Memoised so concurrent callers in one process share a single apt-get run.
  located ??= Promise.resolve(findChromium() ?? installChromium());
  return located;
}

/** Launches headless Chromium with the arguments above; close it in afterAll. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: await chromiumPath(), args: CHROMIUM_ARGS, headless: true });
}

function findChromium(): string | undefined {
  for (const candidate of CANDIDATES) if (executable(candidate)) return candidate;
  return undefined;
}

function executable(path: string): string | undefined {
  return isExecutable(path) ? path : undefined;
}

async function installChromium(): Promise<string> {
  await aptInstall('Chromium (or set CHROMIUM_PATH)', ['chromium']);
  const installed = findChromium();
  if (!installed) throw new Error(`apt-get installed chromium but no executable was found at ${CANDIDATES.join(' or ')}.`);
  return installed;
}
