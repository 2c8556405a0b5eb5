// Test runs in a real browser: a run started through the form against the server itself, followed live over
// its WebSocket (charts grow; a socket cut mid-run resumes with since= and loses or repeats no event), its report
// once finished, the list, the comparison of two runs, and a token without tests.run that may only read.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { apiCall, axeViolations, newPage, openPage, screenshot, serverAndBrowser, signIn, skipReason } from './harness.mjs';

const skip = skipReason() ?? false;
const T = 30_000;
const FINAL = ['passed', 'failed', 'error', 'cancelled', 'interrupted'];
// the one console error the form's deliberate 400 may cause (Chromium may log a failed request)
const EXPECTED_400 = /Failed to load resource: the server responded with a status of 400/;

// Runs in the page before its scripts: records every WebSocket it opens and the seq and type of each message,
// independently of the GUI's own code, so the test can check what actually came over the wire.
function recordSockets() {
  const Native = window.WebSocket;
  window.__sockets = [];
  window.WebSocket = class extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      const rec = { url: String(url), events: [], closed: null };
      window.__sockets.push({ ws: this, rec });
      this.addEventListener('message', (m) => {
        try { const e = JSON.parse(m.data); rec.events.push({ seq: e.seq, type: e.type }); } catch { /* not JSON */ }
      });
      this.addEventListener('close', (e) => { rec.closed = e.code; });
    }
  };
}

const points = (page, chart) => page.evaluate((c) => Number(document.querySelector(`[data-chart="${c}"]`)?.dataset.points ?? -1), chart);

async function awaitFinal(url, id, token) {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const r = await apiCall(url, `/api/testruns/${id}`, token);
    if (FINAL.includes(r.json?.status)) return r.json;
    if (Date.now() > deadline) throw new Error(`run ${id} not finished: ${r.text}`);
    await new Promise((ok) => setTimeout(ok, 300));
  }
}

describe('test runs', { skip }, () => {
  const ctx = serverAndBrowser();
  let first; // {id, report} of the run started through the form
  let second; // the record of a second, shorter run

  it('starts a run through the form and follows it live, through a cut connection, to its report', async () => {
    const page = await newPage(ctx.browser);
    await page.addInitScript(recordSockets);
    await signIn(page, ctx.server.url, 'demo-admin');
    await openPage(page, '#/testruns');
    await page.getByText('Nothing is queued or running.').waitFor();
    await page.getByRole('link', { name: 'Start a run' }).click();
    await page.getByRole('heading', { name: 'Start a test run' }).waitFor();

    await page.getByLabel('Base URL').fill(ctx.server.url);
    await page.getByLabel('Load duration (s)').fill('8');
    await page.getByLabel('Concurrency (virtual users)').fill('2');
    // first a threshold the server refuses: its problem names the field, which is marked
    await page.getByLabel('Thresholds').fill('p95<<500');
    await page.getByRole('button', { name: 'Start run' }).click();
    const problem = page.locator('.tr-form-problem [role="alert"]');
    await problem.waitFor({ timeout: T });
    assert.match(await problem.innerText(), /thresholds/);
    assert.equal(await page.getByLabel('Thresholds').getAttribute('aria-invalid'), 'true');
    assert.match(await page.locator('#tr-field-error').innerText(), /p95<<500/);
    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, 'testruns-new');

    await page.getByLabel('Thresholds').fill('p95<500\nerror_rate<0.01');
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.waitForFunction(() => /^#\/testruns\/tr-/.test(location.hash), null, { timeout: T });
    const id = await page.evaluate(() => decodeURIComponent(location.hash.slice('#/testruns/'.length)));
    const started = (await apiCall(ctx.server.url, `/api/testruns/${id}`, 'demo-admin')).json;
    assert.equal(started.args.base_url, ctx.server.url);
    assert.equal(started.args.load_duration, 8);
    assert.deepEqual(started.args.thresholds, ['p95<500', 'error_rate<0.01']);

    // the charts grow second by second over the WebSocket
    await page.waitForFunction(() => Number(document.querySelector('[data-chart="rps"]')?.dataset.points) >= 1, null, { timeout: T });
    const seen = await points(page, 'rps');
    await page.waitForFunction((n) => Number(document.querySelector('[data-chart="rps"]')?.dataset.points) > n, seen, { timeout: T });
    assert.ok(await points(page, 'rps') > seen);
    assert.equal(await page.locator('.tr-head .badge[data-status]').innerText(), 'running');
    await page.locator('[data-chart="latency"] .chart-limits', { hasText: 'p95 < 500 ms' }).waitFor();
    await screenshot(page, 'testruns-live');

    // zooming (a drag across a chart) stops following the live end; the charts still take every second
    const over = await page.locator('[data-chart="rps"] .u-over').boundingBox();
    await page.mouse.move(over.x + over.width * 0.2, over.y + over.height / 2);
    await page.mouse.down();
    await page.mouse.move(over.x + over.width * 0.6, over.y + over.height / 2, { steps: 5 });
    await page.mouse.up();
    const resume = page.getByRole('button', { name: 'Resume live' });
    await resume.waitFor({ timeout: T });
    const zoomedAt = await points(page, 'rps');
    await page.waitForFunction((n) => Number(document.querySelector('[data-chart="rps"]')?.dataset.points) > n, zoomedAt, { timeout: T });
    await resume.click();
    await page.getByText('Following live.').waitFor();

    // cut the connection mid-run: the page reconnects with since=<last seq> and goes on
    const cut = await page.evaluate(() => {
      const s = window.__sockets.at(-1);
      s.ws.close();
      return s.rec.events.filter((e) => e.type !== 'state').map((e) => e.seq);
    });
    assert.ok(cut.length > 0);
    await page.waitForFunction(() => window.__sockets.length >= 2, null, { timeout: T });

    await page.locator('[data-testid="stream"][data-status="done"]').waitFor({ timeout: 60_000 });
    await page.locator('.markdown').waitFor({ timeout: T });
    await page.waitForFunction(() => !document.querySelector('main .busy'), null, { timeout: T });
    const run = (await apiCall(ctx.server.url, `/api/testruns/${id}`, 'demo-admin')).json;
    assert.ok(FINAL.includes(run.status));
    const report = (await apiCall(ctx.server.url, `/api/testruns/${id}/report.json`, 'demo-admin')).json;
    const md = (await apiCall(ctx.server.url, `/api/testruns/${id}/report.md`, 'demo-admin')).text;
    first = { id, report };

    // what came over the wire: the second socket asked for what followed the last event of the first, and all
    // events together are 1..N, each once, ending with the summary
    const sockets = await page.evaluate(() => window.__sockets.map((s) => s.rec));
    assert.ok(sockets.length >= 2, 'a second socket was opened');
    assert.equal(new URL(sockets[1].url).searchParams.get('since'), String(cut[cut.length - 1]));
    assert.equal(new URL(sockets[0].url).searchParams.get('since'), '0');
    const events = sockets.flatMap((s) => s.events.filter((e) => e.type !== 'state'));
    const seqs = events.map((e) => e.seq);
    assert.deepEqual(seqs, seqs.map((_, i) => i + 1), 'events 1..N, in order, none missing or repeated');
    assert.equal(events.at(-1).type, 'summary');
    const stream = page.getByTestId('stream');
    assert.equal(await stream.getAttribute('data-last-seq'), String(seqs.length));
    assert.equal(await stream.getAttribute('data-delivered'), String(seqs.length));
    assert.equal(await stream.getAttribute('data-dropped'), '0');
    // every second of the load is a point, as many as the report's timeline
    const timeline = report.load.timeline.length;
    assert.equal(events.filter((e) => e.type === 'stats').length, timeline);
    for (const c of ['rps', 'latency', 'concurrency']) assert.equal(await points(page, c), timeline, c);

    // the report: report.md rendered, thresholds from report.json
    assert.equal(await page.locator('.tr-head .badge[data-status]').innerText(), run.status);
    const title = md.split('\n')[0].replace(/^# /, '');
    assert.equal(await page.locator('.markdown h1').innerText(), title);
    await page.locator('.markdown h2', { hasText: 'Phase 2: Load' }).waitFor();
    const thresholds = page.locator('#tr-thresholds-h').locator('xpath=ancestor::section[1]');
    for (const t of report.load.thresholds) {
      const row = thresholds.locator('tbody tr', { hasText: t.threshold });
      assert.equal(await row.locator('[data-value]').getAttribute('data-value'), String(t.value));
      assert.match(await row.innerText(), t.passed ? /pass/ : /fail/);
    }
    await thresholds.getByLabel('only failed').check();
    const failed = report.load.thresholds.filter((t) => !t.passed).length;
    if (failed) assert.equal(await thresholds.locator('tbody tr.row-bad').count(), failed);
    else await thresholds.getByText('No failed thresholds.').waitFor();
    await thresholds.getByLabel('only failed').uncheck();

    // E2E steps as reported, per-endpoint figures at the chosen percentile
    const steps = page.locator('#tr-steps-h').locator('xpath=ancestor::section[1]').locator('tbody tr');
    assert.equal(await steps.count(), report.e2e.steps.length);
    for (const [i, s] of report.e2e.steps.entries()) assert.match(await steps.nth(i).innerText(), new RegExp(s.name));
    await page.getByLabel('Percentile').selectOption('p99');
    const endpoints = page.locator('#tr-endpoints-h').locator('xpath=ancestor::section[1]');
    for (const [name, s] of Object.entries(report.load.steps)) {
      const cell = endpoints.locator('tbody tr', { hasText: name }).locator('[data-value]');
      assert.equal(await cell.getAttribute('data-value'), String(s.latency_ms.p99), name);
    }
    assert.match(page.url(), /pct=p99/);

    // the log: full screen (or its fallback) and back, filter, download of every line
    const log = page.locator('.tr-log-lines li');
    await page.locator('.tr-log-lines li', { hasText: 'phase 2 (load)' }).waitFor();
    await page.getByRole('button', { name: 'Full screen' }).click();
    await page.waitForFunction(() => document.fullscreenElement?.classList.contains('tr-log') || !!document.querySelector('.tr-log-full'));
    await page.getByRole('button', { name: 'Exit full screen' }).click();
    await page.waitForFunction(() => !document.fullscreenElement && !document.querySelector('.tr-log-full'));
    const all = await log.count();
    await page.getByLabel('Filter log lines').fill('phase 1');
    await page.waitForFunction((n) => document.querySelectorAll('.tr-log-lines li').length < n, all);
    for (const line of await log.allInnerTexts()) assert.match(line, /phase 1/);
    await page.getByLabel('Filter log lines').fill('');
    const [logFile] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download log' }).click()]);
    assert.equal(logFile.suggestedFilename(), `${id}.log`);
    const logText = await readFile(await logFile.path(), 'utf8');
    assert.match(logText, /phase 2 \(load\)/);
    assert.equal(logText.trim().split('\n').length, events.filter((e) => e.type === 'log').length);

    // downloads and the curl command that starts the same run again (never with the real token)
    const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download JSON' }).click()]);
    assert.equal(json.suggestedFilename(), `${id}.json`);
    assert.deepEqual(JSON.parse(await readFile(await json.path(), 'utf8')), report);
    const [mdFile] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download Markdown' }).click()]);
    assert.equal(await readFile(await mdFile.path(), 'utf8'), md);
    await page.getByRole('button', { name: 'Copy as curl' }).click();
    const curl = await page.getByTestId('curl').innerText();
    assert.match(curl, /curl -X POST '.*\/api\/testruns'/);
    assert.match(curl, /Authorization: Bearer \$TOKEN/);
    assert.ok(!curl.includes('demo-admin'), 'the token is not in the command');
    const body = JSON.parse(curl.match(/-d '(.*)'/s)[1]);
    assert.deepEqual(body, run.args);

    assert.deepEqual(await axeViolations(page), []);
    await page.locator('#tr-report-h').scrollIntoViewIfNeeded();
    await screenshot(page, 'testruns-report');

    // the list: the run, newest first, its link; a status filter kept in the URL
    await openPage(page, '#/testruns');
    const row = page.locator('#tr-all-h').locator('xpath=ancestor::section[1]').locator('tbody tr').first();
    assert.match(await row.innerText(), new RegExp(`${id}[\\s\\S]*${run.status}`));
    assert.equal(await row.getByRole('link', { name: id }).getAttribute('href'), `#/testruns/${id}`);
    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, 'testruns-list');
    const other = run.status === 'passed' ? 'failed' : 'passed';
    await page.getByRole('checkbox', { name: other }).check();
    await page.waitForFunction((s) => location.hash.includes('status=' + s), other);
    const filtered = (await apiCall(ctx.server.url, `/api/testruns?status=${other}`, 'demo-admin')).json;
    await page.getByText(`newest first: ${filtered.total} in all`).waitFor({ timeout: T });
    assert.equal(await page.getByRole('link', { name: id }).count(), 0);

    assert.deepEqual(page.offOrigin(ctx.server.url), []);
    assert.deepEqual(page.consoleErrors.filter((e) => !EXPECTED_400.test(e)), []);
    await page.context().close();
  });

  it('shows a running run on top of the list until it is over, and cancels a run', async () => {
    const page = await newPage(ctx.browser);
    await signIn(page, ctx.server.url, 'demo-admin');
    const started = await apiCall(ctx.server.url, '/api/testruns', 'demo-admin', { method: 'POST',
      body: { base_url: ctx.server.url, load_duration: 3, concurrency: 1, thresholds: ['p95<500'] } });
    assert.equal(started.status, 202);
    const id = started.json.id;
    await openPage(page, '#/testruns');
    const running = page.locator('#tr-running-h').locator('xpath=ancestor::section[1]');
    await running.getByRole('link', { name: id }).waitFor({ timeout: T });
    // the list polls while something runs: the run leaves "Running" and shows its outcome without a reload
    await running.getByText('Nothing is queued or running.').waitFor({ timeout: 60_000 });
    const done = await awaitFinal(ctx.server.url, id, 'demo-admin');
    const row = page.locator('#tr-all-h').locator('xpath=ancestor::section[1]').locator('tbody tr', { hasText: id });
    await row.locator(`[data-status="${done.status}"]`).waitFor({ timeout: T });
    second = done;

    const long = await apiCall(ctx.server.url, '/api/testruns', 'demo-admin', { method: 'POST',
      body: { base_url: ctx.server.url, load_duration: 120, concurrency: 1 } });
    await openPage(page, `#/testruns/${long.json.id}`);
    await page.getByRole('button', { name: 'Cancel run' }).click();
    await page.locator('.tr-head .badge[data-status="cancelled"]').waitFor({ timeout: T });
    await page.locator('[data-testid="stream"][data-status="done"]').waitFor({ timeout: T });
    assert.equal((await awaitFinal(ctx.server.url, long.json.id, 'demo-admin')).status, 'cancelled');
    assert.equal(await page.getByRole('button', { name: 'Cancel run' }).count(), 0);
    assert.deepEqual(page.offOrigin(ctx.server.url), []);
    assert.deepEqual(page.consoleErrors, []);
    await page.context().close();
  });

  it('compares two runs: overlaid timelines and the deltas of their reports', async () => {
    assert.ok(first && second, 'two finished runs exist');
    const reports = [first.report, (await apiCall(ctx.server.url, `/api/testruns/${second.id}/report.json`, 'demo-admin')).json];

    const page = await newPage(ctx.browser);
    await signIn(page, ctx.server.url, 'demo-admin');
    await openPage(page, `#/compare?base=${first.id}&run=${second.id}`);
    await page.locator('[data-metric="rps"]').waitFor({ timeout: T });
    // a select's name includes its chosen option, hence the patterns
    assert.equal(await page.getByRole('combobox', { name: /^Baseline run/ }).inputValue(), first.id);
    assert.equal(await page.getByRole('combobox', { name: /^Run/ }).inputValue(), second.id);
    const rpsRow = page.locator('tbody tr', { has: page.locator('[data-metric="rps"]') });
    const values = await rpsRow.locator('[data-value]').evaluateAll((els) => els.map((e) => Number(e.dataset.value)));
    assert.deepEqual(values, reports.map((r) => r.load.total.rps));
    assert.match(await rpsRow.innerText(), /regression|improvement|within 5 %|no change/);
    const p95Row = page.locator('tbody tr', { has: page.locator('[data-metric="p95"]') });
    assert.deepEqual(await p95Row.locator('[data-value]').evaluateAll((els) => els.map((e) => Number(e.dataset.value))),
      reports.map((r) => r.load.total.latency_ms.p95));
    const longest = Math.max(...reports.map((r) => r.load.timeline.length));
    await page.waitForFunction((n) => Number(document.querySelector('[data-chart="cmp-p99"]')?.dataset.points) === n, longest, { timeout: T });

    // swapping keeps both in the URL
    await page.getByRole('button', { name: 'Swap' }).click();
    await page.waitForFunction((id) => location.hash.includes('base=' + id), second.id);
    await page.locator('[data-metric="rps"]').waitFor({ timeout: T });
    await page.waitForFunction(() => !document.querySelector('main .busy'), null, { timeout: T });
    const swapped = await page.locator('tbody tr', { has: page.locator('[data-metric="rps"]') }).locator('[data-value]')
      .evaluateAll((els) => els.map((e) => Number(e.dataset.value)));
    assert.deepEqual(swapped, reports.map((r) => r.load.total.rps).reverse());

    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, 'compare');
    assert.deepEqual(page.offOrigin(ctx.server.url), []);
    assert.deepEqual(page.consoleErrors, []);
    await page.context().close();
  });

  it('lets a token without tests.run read runs but not start them, and names the scope', async () => {
    const page = await newPage(ctx.browser);
    await signIn(page, ctx.server.url, 'demo-viewer');
    const caller = (await apiCall(ctx.server.url, '/api/plugins', 'demo-viewer')).json.caller;
    assert.ok(!caller.scopes.includes('tests.run') && caller.scopes.includes('tests.read'));
    await openPage(page, '#/testruns');
    assert.equal(await page.getByRole('link', { name: 'Start a run' }).count(), 0);
    await page.locator('.tr-lead', { hasText: 'tests.run' }).waitFor();
    await openPage(page, '#/testruns/new');
    assert.match(await page.getByRole('alert').innerText(), /needs the scope tests\.run/);
    assert.equal(await page.getByLabel('Load duration (s)').count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Start run' }).count(), 0);
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(page.offOrigin(ctx.server.url), []);
    assert.deepEqual(page.consoleErrors, []);
    await page.context().close();
  });
});
