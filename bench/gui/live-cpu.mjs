// CPU of the test run live view in Debian's Chromium at one update per second, with 1 and with 10 minutes of
// history on its charts.
//
//   JAVA_HOME=<jdk21+> node bench/gui/live-cpu.mjs [HISTORY_S=600] [WINDOW_S=60]
//
// Starts the packaged distribution, starts a low-rate run against the server itself (open model, 5 requests/s,
// one user, long enough for HISTORY_S + WINDOW_S seconds of load), opens #/testruns/<id> and reads Chromium's
// own counters (CDP Performance.getMetrics) over WINDOW_S seconds twice: once after 60 s of history, once after
// HISTORY_S. CPU is the page's main-thread task time (TaskDuration: script, style, layout, paint) over the wall
// time of the window. The peer in the same run is the same page open on the (static) Plugins page over the same
// kind of window: what an idle console tab costs. Prints both windows, the idle peer and the JS heap.
import { apiCall, launchBrowser, startServer } from '../../ui/e2e/harness.mjs';

const HISTORY = Number(process.argv[2] || 600);
const WINDOW = Number(process.argv[3] || 60);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const server = await startServer();
const browser = await launchBrowser();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const session = JSON.stringify({ base: '', token: 'demo-admin', tenant: '' });
  await context.addInitScript((s) => sessionStorage.setItem('controlplane.session', s), session);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  async function window(label) {
    const a = await metrics();
    const t0 = Date.now();
    await sleep(WINDOW * 1000);
    const b = await metrics();
    const wall = (Date.now() - t0) / 1000;
    const cpu = (b.TaskDuration - a.TaskDuration) / wall;
    const script = (b.ScriptDuration - a.ScriptDuration) / wall;
    const layout = (b.LayoutDuration - a.LayoutDuration + b.RecalcStyleDuration - a.RecalcStyleDuration) / wall;
    const points = await page.evaluate(() => [...document.querySelectorAll('[data-points]')].map((e) => Number(e.dataset.points)));
    console.log(`${label.padEnd(34)} main-thread CPU ${(cpu * 100).toFixed(2)}% (script ${(script * 100).toFixed(2)}%, style+layout ${(layout * 100).toFixed(2)}%)`
      + `  JS heap ${(b.JSHeapUsedSize / 1048576).toFixed(1)} MiB  chart points ${points.join('/') || '-'}`);
    return cpu;
  }

  await page.goto(server.url + '/#/plugins');
  await page.locator('main h1').waitFor();
  const idle = await window('idle peer (Plugins page)');

  const duration = HISTORY + WINDOW + 30;
  const run = await apiCall(server.url, '/api/testruns', 'demo-admin', {
    method: 'POST', body: { base_url: server.url, load_duration: duration, concurrency: 1, target_rate: 5, thresholds: ['p95<500'] },
  });
  if (run.status !== 202) throw new Error('run refused: ' + run.text);
  const started = Date.now();
  await page.goto(server.url + '/#/testruns/' + run.json.id);
  await page.locator('main h1').waitFor();
  await sleep(Math.max(0, 60_000 - (Date.now() - started)));
  const early = await window('live view, 1 min of history');
  await sleep(Math.max(0, HISTORY * 1000 - (Date.now() - started)));
  const late = await window(`live view, ${Math.round(HISTORY / 60)} min of history`);
  console.log(`\nlate/early ${(late / early).toFixed(2)}x; live view at ${Math.round(HISTORY / 60)} min = ${(late / Math.max(idle, 1e-6)).toFixed(1)}x an idle tab`);
  await apiCall(server.url, `/api/testruns/${run.json.id}/cancel`, 'demo-admin', { method: 'POST' });
} finally {
  await browser.close();
  await server.stop();
}
