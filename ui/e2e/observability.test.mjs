// The metrics, OpenAPI, HIF, audit and reports pages in a real browser against one packaged server: what each
// page shows is compared with the API's own answer to the same request, so nothing here is a fixed result.
// The audit log is a temporary copy of the demo's, so a line can be appended to watch the live tail.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  apiCall, axeViolations, freePort, launchBrowser, newPage, openPage, screenshot, signIn, skipReason, startServer, UI_ROOT,
} from './harness.mjs';

const skip = skipReason() ?? false;
const TOKEN = 'demo-admin';
const T = { timeout: 30_000 };
const noBusy = (page) => page.waitForFunction(() => !document.querySelector('main .busy'), null, T);

/**
 * Waits until what read() returns equals want, then asserts it: a search the page starts after the URL changed
 * may not have begun (no progress shown yet) when the URL is seen, so the rows are polled, not read once.
 */
async function settles(read, want, timeout = T.timeout) {
  const end = Date.now() + timeout;
  let got = await read();
  while (JSON.stringify(got) !== JSON.stringify(want) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 100));
    got = await read();
  }
  assert.deepEqual(got, want);
}
const rowTexts = (locator) => locator.locator('tbody tr').allInnerTexts();

describe('observability and compliance pages', { skip }, () => {
  let server, browser, page, temp, auditLog;

  before(async () => {
    temp = mkdtempSync(join(tmpdir(), 'cp-gui-obs-'));
    cpSync(join(UI_ROOT, '..', 'config', 'workspace', 'audit'), join(temp, 'audit'), { recursive: true });
    auditLog = join(temp, 'audit', 'audit.log');
    server = await startServer({ PLUGINS_AUDIT_PATH: auditLog });
    browser = await launchBrowser();
    page = await newPage(browser);
    await signIn(page, server.url, TOKEN);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    if (temp) rmSync(temp, { recursive: true, force: true });
  });

  it('metrics: scrapes the server\'s own /metrics and a closed port, and shows present, missing and down', { timeout: 120_000 }, async () => {
    await openPage(page, '#/metrics');
    const own = page.getByRole('group', { name: 'Endpoint 1' });
    assert.equal(await own.getByLabel('URL').inputValue(), server.url + '/metrics', 'the default is the server\'s own /metrics');
    await own.getByLabel('Name').fill('self');
    const families = ['controlplane_http_requests_total', 'no_such_family_total'];
    await page.getByLabel('Expected families').fill(families.join('\n'));
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const closed = page.getByRole('group', { name: 'Endpoint 2' });
    const closedUrl = `http://127.0.0.1:${await freePort()}/metrics`;
    await closed.getByLabel('URL').fill(closedUrl);
    await closed.getByLabel('Name').fill('closed');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByRole('group', { name: 'Endpoint 3' }).getByRole('button', { name: 'Remove' }).click();
    assert.equal(await page.locator('fieldset.obs-endpoint').count(), 2, 'Remove drops the row');
    await page.getByRole('button', { name: 'Scrape' }).click();
    await page.getByTestId('metrics-results').waitFor(T);
    await noBusy(page);

    const answer = (await apiCall(server.url, '/api/metrics/aggregate', TOKEN, { method: 'POST', body: {
      endpoints: [{ url: server.url + '/metrics', name: 'self' }, { url: closedUrl, name: 'closed' }], expect: families } })).json;
    const [self, down] = answer.endpoints;
    assert.equal(self.status, 'up');
    assert.deepEqual(self.expected_present, [families[0]], 'the API sees the server\'s own family');
    for (const ep of answer.endpoints) {
      for (const f of families) {
        const text = await page.locator(`tr[data-family="${f}"] td[data-endpoint="${ep.name}"]`).innerText();
        assert.match(text, ep.expected_present.includes(f) ? /present/ : /missing/, `${f} on ${ep.name}`);
      }
    }
    for (const x of answer.summary.expected) {
      assert.match(await page.locator(`tr[data-family="${x.family}"]`).innerText(), new RegExp(x.text));
    }
    assert.equal(down.status, 'down');
    const downRow = page.getByRole('region', { name: 'Endpoints', exact: true }).locator('tbody tr', { hasText: closedUrl });
    const downText = await downRow.innerText();
    assert.match(downText, /\bdown\b/);
    assert.ok(downText.includes(down.error), `the reason "${down.error}" is shown`);
    const top = answer.summary.cardinality.top[0];
    assert.ok((await page.getByRole('region', { name: /Cardinality/ }).innerText()).includes(top.family));

    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, 'metrics');

    // the form survives a reload (sessionStorage)
    await page.reload();
    await page.getByRole('group', { name: 'Endpoint 2' }).waitFor(T);
    assert.equal(await page.getByRole('group', { name: 'Endpoint 2' }).getByLabel('URL').inputValue(), closedUrl);
    assert.equal(await page.getByLabel('Expected families').inputValue(), families.join('\n'));
  });

  it('openapi: the workspace spec\'s paths with compliant marks, and an uploaded spec with a non-/v1 path', { timeout: 120_000 }, async () => {
    await openPage(page, '#/compliance/openapi');
    await page.getByTestId('openapi-results').waitFor(T);
    const workspace = (await apiCall(server.url, '/api/compliance/openapi/check', TOKEN, { method: 'POST' })).json;
    assert.ok(workspace.paths.length > 0);
    const paths = page.getByRole('region', { name: /^Paths/ });
    for (const p of workspace.paths) {
      const text = await paths.locator('tbody tr', { hasText: p.path }).first().innerText();
      assert.equal(/not compliant/.test(text), !p.compliant, `${p.path}: ${text}`);
      if (p.compliant) assert.match(text, /compliant/);
    }
    assert.match(await page.getByTestId('verdict').innerText(), workspace.summary.verdict === 'pass' ? /^Pass/ : /^Fail/);
    assert.equal(await page.getByRole('region', { name: /^Ignored/ }).locator('tbody tr', { hasText: workspace.ignored[0]?.check ?? '' }).count() > 0,
      workspace.ignored.length > 0);

    const spec = join(temp, 'small-api.yaml');
    writeFileSync(spec, [
      'openapi: 3.0.3', 'info: {title: Small, version: "1"}', 'servers: [{url: /}]', 'paths:',
      '  /v1/items:', '    get:', '      operationId: listItems', '      responses: {"200": {description: ok}}',
      '  /legacy/items:', '    get:', '      responses: {"200": {description: ok}}', ''].join('\n'));
    await page.getByLabel('Spec file (YAML or JSON)').setInputFiles(spec);
    await page.getByRole('button', { name: 'Check uploaded file' }).click();
    await page.getByTestId('verdict').filter({ hasText: /^Fail/ }).waitFor(T);
    await noBusy(page);
    const res = await fetch(server.url + '/api/compliance/openapi/check', { method: 'POST', body: readFileSync(spec),
      headers: { Authorization: 'Bearer ' + TOKEN, 'Content-Type': 'application/yaml' } });
    const uploaded = await res.json();
    const legacy = uploaded.paths.find((p) => p.path === '/legacy/items');
    assert.equal(legacy.compliant, false);
    const legacyRow = await paths.locator('tbody tr', { hasText: '/legacy/items' }).innerText();
    assert.match(legacyRow, /not compliant/);
    assert.ok(legacyRow.includes(legacy.reasons[0]), `the reason "${legacy.reasons[0]}" is shown`);
    assert.doesNotMatch(await paths.locator('tbody tr', { hasText: '/v1/items' }).innerText(), /not compliant/);
    const findings = page.getByRole('region', { name: /^Findings/ });
    for (const f of uploaded.findings) await findings.locator('tbody tr', { hasText: f.message }).first().waitFor(T);

    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, 'openapi');
  });

  it('hif: a valid document, an invalid legacy graph with its pointer and closest shape, and malformed JSON', { timeout: 120_000 }, async () => {
    await openPage(page, '#/compliance/hif');
    const validate = async (doc) => {
      await page.getByLabel('HIF document (JSON)').fill(doc);
      await page.getByRole('button', { name: 'Validate' }).click();
      await noBusy(page);
    };
    const api = async (doc) => (await fetch(server.url + '/api/compliance/hif/validate', { method: 'POST', body: doc,
      headers: { Authorization: 'Bearer ' + TOKEN, 'Content-Type': 'application/json' } })).json();

    const valid = JSON.stringify({ payload: { nodes: [{ id: 'c1', type: 'CONCEPT', text: 'bank' }, { id: 'o1', type: 'OUTPUT', text: 'muddy' }],
      hyperedges: [{ id: 'e1', source_nodes: ['c1'], target_node: 'o1', weight: 0.8, interaction_type: 'SYNERGY' }] } });
    await validate(valid);
    assert.equal((await api(valid)).valid, true);
    assert.match(await page.getByTestId('hif-verdict').innerText(), /✓ valid/);

    const legacy = JSON.stringify({ 'network-type': 'directed', nodes: [], incidences: [], meta: { version: 'hif-2' } });
    await validate(legacy);
    const answer = await api(legacy);
    assert.equal(answer.valid, false);
    assert.match(await page.getByTestId('hif-verdict').innerText(), /invalid/);
    assert.ok((await page.getByTestId('hif-verdict').innerText()).includes(answer.message));
    const errors = page.getByRole('region', { name: /^Errors/ });
    assert.equal(await errors.locator('tbody tr').count(), answer.errors.length);
    const row = await errors.locator('tbody tr', { hasText: answer.errors[0].pointer }).innerText();
    assert.equal(answer.errors[0].pointer, '/meta/version');
    assert.ok(row.includes(answer.errors[0].keyword) && row.includes(answer.closest_shape), row);
    assert.equal(answer.closest_shape, 'LegacyGraph');
    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, 'hif');

    const broken = '{"nodes": [';
    await validate(broken);
    const problem = await api(broken);
    const alert = await page.locator('main .problem').innerText();
    assert.match(alert, /\(400\)/);
    assert.ok(alert.includes(problem.detail.slice(0, 40)), alert);
    assert.equal(await page.getByTestId('hif-results').count(), 0, 'no stale result beside the problem');
  });

  it('audit: search, a narrowing filter, paging, and the live tail with the same filters', { timeout: 150_000 }, async () => {
    await openPage(page, '#/audit');
    const results = page.getByRole('region', { name: 'Search results' });
    const entries = results.locator('table.data');
    const search = async (q) => (await apiCall(server.url, '/api/audit/search' + q, TOKEN)).json;
    const shown = async () => (await rowTexts(entries)).map((t) => t.split('\t').slice(1, 3).map((s) => s.trim()).join(' '));
    const expected = (items) => items.map((e) => `${e.subject ?? e.actor} ${e.action ?? e.event}`);

    const all = await search('');
    assert.ok(all.count > 0 && all.items.every((e) => (e.tenant_id ?? e.tenant) === 'tA'), 'the API answers tA entries only');
    await settles(shown, expected(all.items));
    const counts = await results.locator('dl.kv').innerText();
    for (const k of ['scanned', 'matched', 'malformed']) assert.ok(counts.includes(String(all[k])), `${k} ${all[k]} in ${counts}`);

    await page.getByLabel('Action').fill('auth.*');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForFunction(() => location.hash.includes('action=auth.*'), null, T);
    await noBusy(page);
    const auth = await search('?action=auth.*');
    assert.ok(auth.count > 0 && auth.count < all.count, 'the filter narrows');
    await settles(shown, expected(auth.items));

    // a local date-time goes to the API as UTC
    await page.getByLabel('Since').fill('2026-12-01T10:00');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const iso = await page.evaluate(() => new Date('2026-12-01T10:00').toISOString().replace('.000Z', 'Z'));
    await page.waitForFunction((v) => decodeURIComponent(location.hash).includes('since=' + v), iso, T);
    await noBusy(page);
    const since = await search('?action=auth.*&since=' + iso);
    assert.ok(since.count <= auth.count);
    await settles(shown, expected(since.items));
    await page.getByLabel('Since').fill('');

    // pages of 5: Next follows next_cursor, Previous comes back
    await page.getByLabel('Per page').fill('5');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForFunction(() => location.hash.includes('limit=5'), null, T);
    await noBusy(page);
    const first = await search('?action=auth.*&limit=5');
    assert.ok(first.next_cursor, 'more than one page');
    await settles(shown, expected(first.items));
    await page.getByRole('button', { name: 'Next page' }).first().click();
    await noBusy(page);
    const second = await search('?action=auth.*&limit=5&cursor=' + encodeURIComponent(first.next_cursor));
    await settles(shown, expected(second.items));
    assert.match(await results.locator('dl.kv').innerText(), /Page\s+2/);
    await page.getByRole('button', { name: 'Previous page' }).first().click();
    await noBusy(page);
    await settles(shown, expected(first.items));

    // live tail: a line appended to the log arrives; one the filter excludes does not
    const sockets = [];
    page.on('websocket', (ws) => { if (ws.url().includes('/ws/audit/tail')) sockets.push(ws); });
    const toggle = page.getByRole('button', { name: 'Live tail' });
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
    await page.getByTestId('tail-state').filter({ hasText: 'connected' }).waitFor(T);
    assert.ok(sockets[0].url().includes('action=auth.*'), 'the tail has the search\'s filters');
    const mark = 'e2e-' + Date.now();
    const line = (action) => JSON.stringify({ ts: new Date().toISOString(), tenant_id: 'tA', subject: mark, action, resource: 'session', outcome: 'allowed' }) + '\n';
    appendFileSync(auditLog, line('metrics.aggregate'));
    appendFileSync(auditLog, line('auth.login'));
    const live = page.getByRole('region', { name: 'Live tail' });
    await live.locator('tbody tr', { hasText: mark }).waitFor(T);
    assert.deepEqual(await rowTexts(live.locator('table.data')).then((r) => r.map((t) => t.includes(mark) && t.includes('auth.login'))), [true]);
    assert.match(await page.getByTestId('tail-state').innerText(), /connected · 1 new entry/);
    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, 'audit');

    await toggle.click();
    await page.getByTestId('tail-state').filter({ hasText: 'off' }).waitFor(T);
    // on again, then leave the page: the socket is closed
    await toggle.click();
    await page.getByTestId('tail-state').filter({ hasText: 'connected' }).waitFor(T);
    const closed = new Promise((ok) => sockets[sockets.length - 1].on('close', ok));
    await openPage(page, '#/reports');
    await Promise.race([closed, new Promise((_, fail) => setTimeout(() => fail(new Error('tail not closed on leaving')), 15_000))]);
    assert.ok(sockets.every((ws) => ws.isClosed()), 'every tail socket is closed');
  });

  it('reports: the 404 detail without a run, then the preview and the JSON download after one', { timeout: 150_000 }, async () => {
    await openPage(page, '#/reports');
    const missing = await apiCall(server.url, '/api/reports/export?format=json', TOKEN);
    assert.equal(missing.status, 404);
    await page.getByTestId('no-report').waitFor(T);
    assert.ok((await page.getByTestId('no-report').innerText()).includes(missing.json.detail), 'the server\'s detail is shown');
    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, 'reports-empty');

    const started = await apiCall(server.url, '/api/testruns', TOKEN, { method: 'POST', body: { base_url: server.url, load_duration: 2, concurrency: 1 } });
    assert.equal(started.status, 202, started.text);
    const id = started.json.id;
    const deadline = Date.now() + 90_000;
    let status = started.json.status;
    while (!['passed', 'failed', 'error', 'cancelled'].includes(status)) {
      assert.ok(Date.now() < deadline, 'the run finished in time');
      await new Promise((r) => setTimeout(r, 500));
      status = (await apiCall(server.url, '/api/testruns/' + id, TOKEN)).json.status;
    }
    assert.equal(status, 'passed');

    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByTestId('report-preview').waitFor(T);
    await noBusy(page);
    const md = (await apiCall(server.url, '/api/reports/export?format=md', TOKEN)).text;
    const title = md.split('\n').find((l) => l.startsWith('# ')).slice(2);
    await page.getByTestId('report-preview').getByRole('heading', { name: title }).waitFor(T);
    const figures = await page.getByRole('list', { name: 'Key figures' }).innerText();
    const doc = (await apiCall(server.url, '/api/reports/export?format=json', TOKEN)).json;
    assert.ok(figures.includes(`${doc.report.e2e.passed} of ${doc.report.e2e.total}`), figures);
    assert.ok((await page.locator('main').innerText()).includes(id));

    const [download] = await Promise.all([page.waitForEvent('download', T), page.getByRole('button', { name: 'Download JSON' }).click()]);
    assert.equal(download.suggestedFilename(), `testrun-${id}.json`);
    const saved = JSON.parse(readFileSync(await download.path(), 'utf8'));
    assert.equal(saved.run.id, id);
    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, 'reports');
  });

  it('left the origin never and logged no error', () => {
    assert.deepEqual(page.offOrigin(server.url), []);
    assert.deepEqual(page.consoleErrors, []);
  });
});
