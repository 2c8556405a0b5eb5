// Page load to interactive in Debian's Chromium, on the demo workspace.
//
//   JAVA_HOME=<jdk21+> node bench/gui/page-load.mjs [RUNS=9] [HASH_PATH...]   (default: the pages below)
//
// The packaged distribution (dist/target/control-plane) is started once; per run a fresh browser context (an
// empty HTTP cache, as a first visit) that already holds a session (so sign-in is not measured) opens a page
// and records performance.now() (ms since navigation start) when:
//   - shell: the navigation built from /api/plugins is drawn;
//   - interactive: the page's heading is drawn and no progress indicator is left (its data is shown).
// The peer, measured in the same run and the same way, is a static HTML page of the same size served by the
// same server from the same folder, with no script: the floor any page served from there pays (connection,
// HTML, first paint). Prints every run and the medians; the first run of each kind is a warm-up and not counted.
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DIST, launchBrowser, startServer } from '../../ui/e2e/harness.mjs';

const RUNS = Number(process.argv[2] || 9);
const PAGES = process.argv.length > 3 ? process.argv.slice(3) : ['/', '/deployments/helm', '/deployments/argocd', '/metrics', '/testruns'];
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

const server = await startServer();
const browser = await launchBrowser();
const floor = join(DIST, 'ui', 'bench-floor.html');
writeFileSync(floor, '<!doctype html><html lang="en"><title>floor</title><h1>floor</h1>' + '<p>x</p>'.repeat(120));
try {
  const session = JSON.stringify({ base: '', token: 'demo-admin', tenant: '' });
  const results = {};
  async function once(hash) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript((s) => sessionStorage.setItem('controlplane.session', s), session);
    const page = await context.newPage();
    let requests = 0;
    page.on('request', () => requests++);
    if (hash === 'floor') {
      await page.goto(server.url + '/bench-floor.html');
      const t = await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(performance.now()))));
      await context.close();
      return { shell: t, interactive: t, requests };
    }
    await page.goto(server.url + '/#' + hash);
    const shell = await page.waitForFunction(() => document.querySelector('nav.side') && performance.now(), null, { timeout: 60000 })
      .then((h) => h.jsonValue());
    const interactive = await page.waitForFunction(
      () => document.querySelector('main h1') && !document.querySelector('main .busy') && performance.now(), null,
      { timeout: 60000, polling: 'raf' }).then((h) => h.jsonValue());
    await context.close();
    return { shell, interactive, requests };
  }
  for (const hash of ['floor', ...PAGES]) {
    await once(hash); // warm-up: JIT on the server, disk cache
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await once(hash));
    results[hash] = runs;
    console.log(`${hash.padEnd(20)} shell ${runs.map((r) => r.shell.toFixed(0)).join(' ')} | interactive ${runs.map((r) => r.interactive.toFixed(0)).join(' ')} ms | ${runs[0].requests} requests`);
  }
  const floorMs = median(results.floor.map((r) => r.interactive));
  console.log('\nmedians (ms since navigation start), ratio to the static floor page:');
  console.log(`floor (static HTML)      ${floorMs.toFixed(0)}`);
  for (const hash of PAGES) {
    const shell = median(results[hash].map((r) => r.shell));
    const inter = median(results[hash].map((r) => r.interactive));
    console.log(`${('#' + hash).padEnd(24)} shell ${shell.toFixed(0)}  interactive ${inter.toFixed(0)}  (${(inter / floorMs).toFixed(1)}x floor, ${results[hash][0].requests} requests)`);
  }
} finally {
  rmSync(floor, { force: true });
  await browser.close();
  await server.stop();
}
