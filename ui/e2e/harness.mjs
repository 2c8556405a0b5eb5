// What every browser test needs: the packaged distribution started on a free loopback port with its own data
// folder, Debian's Chromium driven by playwright-core (never a downloaded browser), a network log to prove no
// request leaves the server's origin, axe-core for WCAG 2 A/AA, and screenshots under ui/target/screenshots.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const UI_ROOT = resolve(here, '..');
export const DIST = resolve(process.env.CP_DIST || join(UI_ROOT, '..', 'dist', 'target', 'control-plane'));
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const SCREENSHOTS = join(UI_ROOT, 'target', 'screenshots');
const require = createRequire(import.meta.url);

/**
 * Why the browser tests cannot run here, or null. Under CI=true a missing piece is a failure, not a skip,
 * so a CI machine that lost Chromium cannot pass silently.
 */
export function skipReason() {
  let reason = null;
  if (!existsSync(CHROMIUM)) reason = `no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM)`;
  else if (!existsSync(join(DIST, 'bin', 'control-plane'))) reason = `no distribution at ${DIST} (mvn package first, or set CP_DIST)`;
  if (reason && process.env.CI === 'true') throw new Error('browser tests cannot run under CI=true: ' + reason);
  if (reason) console.log(`# SKIPPED browser tests: ${reason}`);
  return reason;
}

export async function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
  });
}

/**
 * Starts bin/control-plane of the distribution with a fresh data folder; env adds or overrides variables.
 * Answers {url, port, dataDir, log(), stop()}.
 */
export async function startServer(env = {}) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'cp-gui-'));
  let output = '';
  const child = spawn(join(DIST, 'bin', 'control-plane'), [], {
    env: {
      ...process.env, CP_PORT: String(port), CP_HOST: '127.0.0.1', CP_DATA_DIR: dataDir, CP_CDS: 'off',
      CP_ACCESS_LOG: 'false', JAVA_HOME: process.env.JAVA_HOME || '', ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`control plane exited with ${child.exitCode}:\n${output}`);
    try {
      const res = await fetch(url + '/health/ready');
      if (res.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) { child.kill('SIGKILL'); throw new Error('control plane not ready in 60 s:\n' + output); }
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    url, port, dataDir,
    log: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Registers before/after hooks in the current describe that start one server (with env) and one browser, and
 * stop them; answers the holder whose server and browser the tests read once the hooks ran.
 */
export function serverAndBrowser(env = {}) {
  const ctx = { server: null, browser: null };
  before(async () => {
    ctx.server = await startServer(typeof env === 'function' ? env() : env);
    ctx.browser = await launchBrowser();
  });
  after(async () => {
    await ctx.browser?.close();
    await ctx.server?.stop();
  });
  return ctx;
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/**
 * A 1280x800 page whose every request is recorded: page.requests holds their URLs, offOrigin(origin) those
 * that went anywhere but the given origin (data: and blob: URLs stay in the page and do not count).
 */
export async function newPage(browser, { viewport = { width: 1280, height: 800 } } = {}) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.requests = [];
  page.consoleErrors = [];
  page.on('request', (r) => page.requests.push(r.url()));
  page.on('pageerror', (e) => page.consoleErrors.push(String(e)));
  // a 4xx the page shows as a problem is a state, not an error (Chromium logs each as "Failed to load resource")
  page.on('console', (m) => {
    if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) {
      page.consoleErrors.push(m.text());
    }
  });
  page.offOrigin = (origin) => page.requests.filter((u) => {
    if (u.startsWith('data:') || u.startsWith('blob:')) return false;
    const parsed = new URL(u);
    const o = `${parsed.protocol.replace('ws', 'http')}//${parsed.host}`;
    return o !== origin;
  });
  return page;
}

/** Signs in through the form (as a person would) and waits for the navigation. */
export async function signIn(page, url, token, { base = '' } = {}) {
  await page.goto(url + '/');
  await page.getByLabel('Bearer token').fill(token);
  if (base) await page.getByLabel('Control plane URL').fill(base);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Capabilities' }).waitFor();
}

/**
 * Opens a hash route and waits until the page has drawn and no progress indicator is left. With title, waits
 * for that heading (the previous page's h1 may still be up for a moment after the hash changed).
 */
export async function openPage(page, hash, { timeout = 30_000, title } = {}) {
  await page.evaluate((h) => { location.hash = h; }, hash);
  const heading = title ? page.locator('main h1', { hasText: title }) : page.locator('main h1');
  await heading.first().waitFor({ timeout });
  await page.waitForFunction(() => !document.querySelector('main .busy'), null, { timeout });
}

/** axe-core's WCAG 2.0/2.1 A and AA violations of the page as it is now (injected inline: no request). */
export async function axeViolations(page) {
  await page.addScriptTag({ content: readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8') });
  const result = await page.evaluate(async () => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }));
  return result.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, name + '.png');
  await page.screenshot({ path, fullPage: false });
  return path;
}

/** Calls the API directly (for setting up and checking what the GUI shows). */
export async function apiCall(url, path, token, { method = 'GET', body } = {}) {
  const res = await fetch(url + path, {
    method,
    headers: { Authorization: 'Bearer ' + token, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, json, text, headers: res.headers };
}
