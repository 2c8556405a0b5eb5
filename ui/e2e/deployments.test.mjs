// The deployment pages (helm, argocd, keda, karpenter) against the demo workspace: every expectation is read
// from the API in the test and compared with what the page shows.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UI_ROOT, apiCall, axeViolations, launchBrowser, newPage, openPage, screenshot, signIn, skipReason, startServer } from './harness.mjs';

const ADMIN = 'demo-admin';
const T = { timeout: 30_000 };

/** openPage, then the page's own title and its loaded state (openPage alone may see the previous page's h1). */
async function open(page, hash, title) {
  await openPage(page, hash);
  await page.locator('main h1', { hasText: title }).first().waitFor(T);
  await loaded(page);
}

async function loaded(page) {
  await page.locator('main h1').first().waitFor(T);
  await page.waitForFunction(() => !document.querySelector('main .busy'), null, T);
  await page.locator('#findings-h').waitFor(T);
}

/** A labelled select: its accessible name is the label followed by the chosen option. */
const select = (page, label) => page.getByRole('combobox', { name: new RegExp('^' + label + '\\b') });
const rows = (page) => page.locator('table.findings tr.finding');
const hashParams = (page) => new URLSearchParams(new URL(page.url()).hash.split('?')[1] || '');

/** The severity strip as {error, warning, info, ignored}. */
async function counts(page) {
  const items = await page.locator('section[aria-labelledby="findings-h"] .counts li').allTextContents();
  return Object.fromEntries(items.map((t) => { const [n, k] = t.trim().split(/\s+/); return [k, Number(n)]; }));
}

async function assertCounts(page, summary) {
  const c = await counts(page);
  for (const k of ['error', 'warning', 'info', 'ignored']) assert.equal(c[k], summary[k], `count of ${k}`);
}

/** A finding's row: its check, object group, file:line, message and remediation are shown. */
async function assertFindingRow(page, f) {
  const row = rows(page).filter({ hasText: f.message });
  assert.equal(await row.count(), 1, `one row for ${f.check}: ${f.message}`);
  const text = await row.textContent();
  assert.ok(text.includes(`${f.file}:${f.line}`), `file:line of ${f.check}`);
  assert.ok(text.includes(f.remediation), `remediation of ${f.check}`);
  assert.equal(await row.locator('a.check-link').textContent(), f.check);
  const group = await row.locator('xpath=ancestor::tbody[1]/tr[contains(@class,"row-group")]').textContent();
  assert.ok(group.includes(`${f.object.kind}/${f.object.name}`), `grouped under ${f.object.kind}/${f.object.name}`);
  return row;
}

const key = (o) => [o.kind, o.namespace || '', o.name].join('/');
function passing(objects, answer) {
  const seen = new Set([...answer.findings, ...answer.ignored].map((f) => key(f.object)));
  return new Set(objects.map(key).filter((k) => !seen.has(k))).size;
}

/** Failing only by default; the toggle adds the ignored findings with their reasons and the passing objects. */
async function assertToggle(page, answer, objects) {
  assert.equal(await rows(page).count(), answer.findings.length, 'failing findings only');
  for (const f of answer.ignored) assert.equal(await rows(page).filter({ hasText: f.message }).count(), 0, 'ignored hidden');
  await page.getByLabel('Show passing / ignored').check();
  await page.locator('table.findings tr.finding-ignored, table.findings tr.finding-pass').first().waitFor(T);
  for (const f of answer.ignored) {
    const row = page.locator('table.findings tr.finding-ignored').filter({ hasText: f.message });
    assert.equal(await row.count(), 1, 'ignored finding shown');
    assert.ok((await row.textContent()).includes(f.ignored_reason), 'with its reason');
  }
  assert.equal(await page.locator('table.findings tr.finding-pass').count(), passing(objects, answer), 'passing objects');
  assert.equal(hashParams(page).get('show'), 'all');
  await page.getByLabel('Show passing / ignored').uncheck();
  await page.waitForFunction((n) => document.querySelectorAll('table.findings tr.finding').length === n, answer.findings.length, T);
}

/** A filter narrows the rows, lives in the hash, and survives a reload. */
async function assertFilterKept(page, label, value, expected, param) {
  await select(page, label).selectOption(value);
  await page.waitForFunction((n) => document.querySelectorAll('table.findings tr.finding').length === n, expected, T);
  assert.equal(hashParams(page).get(param), value);
  await page.reload();
  await loaded(page);
  assert.equal(await rows(page).count(), expected, 'still filtered after reload');
  assert.equal(await select(page, label).inputValue(), value);
  await page.getByRole('button', { name: 'Clear filters' }).click();
}

/** The check id links to the page's rules section, which names the rule's description and scrolls to it. */
async function assertRuleLink(page, link, rule, pageId) {
  await link.click();
  await page.locator('.rule-focus').waitFor(T);
  const params = hashParams(page);
  assert.equal(params.get('rule'), rule.id);
  assert.ok(page.url().includes(`#/deployments/${pageId}`));
  assert.ok((await page.locator('.rule-focus').textContent()).includes(rule.description));
  const selected = page.locator('table.rules tr.rule-selected');
  assert.equal(await selected.count(), 1);
  assert.ok((await selected.textContent()).includes(rule.description));
  await page.waitForFunction(() => {
    const r = document.querySelector('tr.rule-selected').getBoundingClientRect();
    return r.top >= 0 && r.bottom <= window.innerHeight;
  }, null, T);
}

/** The matrix's identity of a finding across values files (check, object, container, message with values blanked). */
const containerOf = (f) => (typeof f.container === 'string' ? f.container : f.container?.name)
  || /\bcontainer '([^']+)'/.exec(f.message)?.[1] || '';
const shape = (m) => m.replace(/'[^']*'/g, "'…'").replace(/"[^"]*"/g, '"…"').replace(/\d+(\.\d+)*/g, '#');
const findingId = (f) => [f.check, key(f.object), containerOf(f), shape(f.message)].join('|');

/** Each distinct finding of a combined answer with its state per values file: 'present', 'ignored' or 'absent'. */
function matrixOf(results) {
  const rows = new Map();
  results.forEach((r, i) => {
    const seen = new Map();
    const add = (f, state) => {
      const base = findingId(f);
      seen.set(base, (seen.get(base) || 0) + 1);
      const id = base + '#' + seen.get(base);
      if (!rows.has(id)) rows.set(id, { finding: f, states: results.map(() => 'absent') });
      rows.get(id).states[i] = state;
    };
    r.findings.forEach((f) => add(f, 'present'));
    r.ignored.forEach((f) => add(f, 'ignored'));
  });
  return [...rows.values()];
}

const matrixRows = (page) => page.locator('table.values-matrix tbody tr.matrix-row');

/** A summary cell's severity strip as {error, warning, info, ignored}. */
async function cellCounts(cell) {
  const items = await cell.locator('.counts li').allTextContents();
  return Object.fromEntries(items.map((t) => { const [n, k] = t.trim().split(/\s+/); return [k, Number(n)]; }));
}

async function assertAxe(page) {
  assert.deepEqual(await axeViolations(page), []);
}

// The Kubernetes OpenAPI documents of the shared fixtures (../shared beside the repository, or SHARED_DIR).
const SHARED = process.env.SHARED_DIR || join(UI_ROOT, '..', '..', 'shared');
const KUBE_OPENAPI = join(SHARED, 'fixtures', 'openapi', 'kube-openapi');

function fixturesSkip() {
  if (existsSync(KUBE_OPENAPI)) return null;
  const reason = `shared fixtures absent: ${KUBE_OPENAPI} (set SHARED_DIR)`;
  if (process.env.CI === 'true') throw new Error('the schema browser test needs them under CI=true: ' + reason);
  console.log('# SKIPPED helm schema and policies: ' + reason);
  return reason;
}

describe('helm: schema and policies', { skip: skipReason() ?? fixturesSkip() ?? false }, () => {
  let server, browser, page;
  const get = async (path) => {
    const res = await apiCall(server.url, path, ADMIN);
    assert.equal(res.status, 200, `${path}: ${res.text}`);
    return res.json;
  };
  const section = () => page.locator('section[aria-labelledby="schema-policies-h"]');

  before(async () => {
    server = await startServer({ JAVA_HOME: process.env.JAVA_HOME || '/usr/lib/jvm/temurin-25-jdk-amd64',
      PLUGINS_HELM_SCHEMAS_DIR: KUBE_OPENAPI });
    browser = await launchBrowser();
    page = await newPage(browser);
    await signIn(page, server.url, ADMIN);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('counts schema results and the demo admission policy, each count filtering the table', async () => {
    const api = await get('/api/helm/checks');
    const of = (id) => api.findings.filter((f) => f.check === id);
    const unknown = of('helm.schema-unknown');
    const policy = of('helm.admission-policy').find((f) => f.message.includes('admission policy hypergraph-release-images '));
    assert.ok(unknown.length > 0, 'with the fixtures\' schemas, the demo chart has kinds they do not describe');
    assert.ok(policy, 'the demo policy (config/workspace/manifests/policies) reports the explainer\'s :latest image');
    assert.equal(policy.severity, 'warning', 'its binding warns');
    await open(page, '#/deployments/helm', 'Helm chart');
    await section().waitFor(T);
    await page.getByRole('heading', { name: 'Schema and policies', level: 2 }).waitFor(T);
    assert.equal(await page.getByTestId('schema-off').count(), 0, 'a schema source is configured');

    // the counts are the answer's
    const text = async (sel) => (await section().locator(sel).textContent()).replace(/\s+/g, ' ').trim();
    const errors = of('helm.schema').length;
    assert.ok((await text('[data-count="schema"]')).startsWith(`${errors} schema error`));
    assert.ok((await text('[data-count="schema-unknown"]')).startsWith(`${unknown.length} kind${unknown.length === 1 ? '' : 's'} not validated`));
    assert.ok((await text('[data-count="crd-rule"]')).startsWith(`${of('helm.crd-rule').length} CRD rule failure`));

    // the demo policy's result, by policy, binding and action
    const row = section().locator('table.sp-policies tr[data-policy="hypergraph-release-images"]');
    assert.equal(await row.count(), 1);
    const cells = await row.locator('th, td').allTextContents();
    const forPolicy = of('helm.admission-policy').filter((f) => f.message.includes('admission policy hypergraph-release-images '));
    assert.deepEqual(cells.map((c) => c.trim()), ['hypergraph-release-images', 'hypergraph-release-images-warn', 'Warn',
      `${forPolicy.length} warning`]);

    // a schema finding and a field path are in the table
    await assertFindingRow(page, unknown[0]);
    const withField = api.findings.find((f) => f.field);
    assert.ok(withField, 'some finding of the demo chart names its field');
    const fieldRow = rows(page).filter({ hasText: withField.message });
    assert.equal(await fieldRow.locator('.finding-field code').textContent(), withField.field);
    await assertFindingRow(page, policy);
    await assertAxe(page);
    await screenshot(page, 'helm-schema-policies');

    // a count is a link (reached by keyboard) that filters the table to its check, kept in the hash
    const link = section().locator('[data-count="schema-unknown"] a.check-count');
    await link.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => new URLSearchParams(location.hash.split('?')[1]).get('check') === 'helm.schema-unknown', null, T);
    await page.waitForFunction((n) => document.querySelectorAll('table.findings tr.finding').length === n, unknown.length, T);
    assert.deepEqual([...new Set(await rows(page).locator('a.check-link').allTextContents())], ['helm.schema-unknown']);
    assert.equal(await select(page, 'Check').inputValue(), 'helm.schema-unknown');
    assert.equal(await link.getAttribute('aria-current'), 'true');

    await row.locator('a.check-count').click();
    await page.waitForFunction(() => new URLSearchParams(location.hash.split('?')[1]).get('check') === 'helm.admission-policy', null, T);
    const policyRows = of('helm.admission-policy').length;
    await page.waitForFunction((n) => document.querySelectorAll('table.findings tr.finding').length === n, policyRows, T);
    assert.equal(await rows(page).filter({ hasText: policy.message }).count(), 1);
    await assertAxe(page);
    assert.deepEqual(page.offOrigin(server.url), []);
    assert.deepEqual(page.consoleErrors, []);
  });

  it('the policy result follows the values: the prod values pin the image and pass', async () => {
    const prod = await get('/api/helm/checks?values=values-prod.yaml');
    assert.equal(prod.findings.filter((f) => f.check === 'helm.admission-policy').length, 0);
    await open(page, '#/deployments/helm?values=values-prod.yaml', 'Helm chart');
    await page.waitForFunction(() => location.hash.includes('values-prod'), null, T);
    await loaded(page);
    assert.ok((await section().locator('[data-count="admission-policy"]').textContent()).includes('No admission-policy result'));
  });
});


describe('deployment pages', { skip: skipReason() ?? false }, () => {
  let server, browser, page;
  const get = async (path, token = ADMIN) => {
    const res = await apiCall(server.url, path, token);
    assert.equal(res.status, 200, `${path}: ${res.text}`);
    return res.json;
  };

  before(async () => {
    server = await startServer({ JAVA_HOME: process.env.JAVA_HOME || '/usr/lib/jvm/temurin-25-jdk-amd64' });
    browser = await launchBrowser();
    page = await newPage(browser);
    await signIn(page, server.url, ADMIN);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('helm: findings, counts, ignored, filters in the URL, rule link, render form', async () => {
    const api = await get('/api/helm/checks');
    const rules = api.rules ?? (await get('/api/helm/checks?format=sarif')).runs[0].tool.driver.rules
      .map((r) => ({ id: r.id, description: r.shortDescription.text }));
    await open(page, '#/deployments/helm', 'Helm chart');
    // no schema source in the default config: the schema section says so instead of showing zeros
    assert.equal(api.findings.filter((f) => f.check.startsWith('helm.schema')).length, 0);
    assert.ok((await page.getByTestId('schema-off').textContent()).replace(/\s+/g, ' ')
      .includes('Schema validation is off: set plugins.helm.schemas.dir'));
    const pinned = api.findings.find((f) => f.check === 'helm.image-tag-pinned' && f.object.kind === 'Deployment'
      && f.object.name === 'hypergraph-explainer');
    assert.ok(pinned, 'the demo chart has an unpinned image');
    for (const f of api.findings) await assertFindingRow(page, f);
    await assertCounts(page, api.summary);
    assert.equal(await page.getByTestId('engine').textContent(), api.summary.engine);
    for (const o of api.objects) {
      assert.equal(await page.locator('section[aria-labelledby="objects-h"] tbody tr').filter({ hasText: o.file }).filter({ hasText: o.name }).count() >= 1, true, `${o.kind}/${o.name} listed`);
    }
    await assertAxe(page);
    await screenshot(page, 'helm');
    await assertToggle(page, api, api.objects);
    await assertFilterKept(page, 'Check', 'helm.pdb', api.findings.filter((f) => f.check === 'helm.pdb').length, 'check');
    await assertFilterKept(page, 'Severity', 'warning', api.findings.filter((f) => f.severity === 'warning').length, 'severity');

    const row = await assertFindingRow(page, pinned);
    await assertRuleLink(page, row.locator('a.check-link'), rules.find((r) => r.id === pinned.check), 'helm');
    await assertAxe(page);

    // sorting by check id and the flat view are view state in the hash too
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await page.waitForFunction(() => location.hash.includes('sort=check'), null, T);
    // grouped by object, the groups keep the sort: within each object the check ids are in order
    const byCheck = (a, b) => a.localeCompare(b, undefined, { numeric: true });
    const groups = await page.locator('table.findings tbody').evaluateAll((els) => els.map((e) => [...e.querySelectorAll('a.check-link')].map((a) => a.textContent)));
    for (const g of groups) assert.deepEqual(g, [...g].sort(byCheck));
    assert.deepEqual(groups.flat().sort(), api.findings.map((f) => f.check).sort());
    await page.getByLabel('Group by object').uncheck();
    await page.waitForFunction(() => !document.querySelector('table.findings tr.row-group'), null, T);
    assert.equal(hashParams(page).get('group'), 'off');
    assert.equal(await page.locator('table.findings th', { hasText: 'Object' }).count(), 1);
    await page.getByRole('searchbox', { name: 'Object', exact: true }).fill(pinned.object.name);
    await page.waitForFunction(() => location.hash.includes('object='), null, T);
    assert.equal(await rows(page).count(), api.findings.filter((f) => f.object.name.includes(pinned.object.name)).length);

    // two values files: each rendered, the counts are the API's combined summary
    const combined = await get('/api/helm/checks?values=values-prod.yaml&values=values.yaml');
    await page.getByRole('textbox', { name: 'Values file 1' }).fill('values-prod.yaml');
    await page.getByRole('button', { name: 'Add values file' }).click();
    await page.getByRole('textbox', { name: 'Values file 2' }).fill('values.yaml');
    await page.getByRole('button', { name: 'Render and check' }).click();
    await page.waitForFunction(() => location.hash.includes('values='), null, T);
    await loaded(page);
    // several files open side by side; the one table is the other tab
    await page.getByRole('tab', { name: 'One table' }).click();
    await page.locator('table.findings').waitFor(T);
    await assertCounts(page, combined.summary);
    // the object filter typed above stays in the hash through the new render
    const all = combined.results.flatMap((r) => r.findings).filter((f) => f.object.name.includes(pinned.object.name));
    assert.equal(hashParams(page).get('object'), pinned.object.name);
    assert.equal(await rows(page).count(), all.length);
    assert.equal(await page.locator('table.findings th', { hasText: 'Values file' }).count(), 1);
  });

  it('helm: two values files side by side, counts per file, only differences, view kept in the URL', async () => {
    const files = ['values.yaml', 'values-prod.yaml'];
    const api = await get('/api/helm/checks?' + files.map((f) => 'values=' + f).join('&'));
    assert.equal(api.results.length, 2);
    const names = api.results.map((r) => r.values);
    await openPage(page, '#/deployments/helm?values=' + files.join(','));
    await page.waitForFunction((want) => JSON.stringify([...document.querySelectorAll('table.values-matrix thead th[scope="col"]')]
      .slice(1).map((th) => th.textContent.trim())) === want, JSON.stringify(names), T);
    await loaded(page);
    assert.equal(await page.getByRole('tab', { name: 'Side by side' }).getAttribute('aria-selected'), 'true', 'the default with two files');

    // the summary row: each file's counts are that file's answer
    const summary = page.locator('table.values-matrix tr.matrix-summary td');
    assert.equal(await summary.count(), 2);
    for (const [i, r] of api.results.entries()) {
      const c = await cellCounts(summary.nth(i));
      for (const k of ['error', 'warning', 'info', 'ignored']) assert.equal(c[k], r.summary[k], `${names[i]}: count of ${k}`);
    }

    // only the differences by default; a finding under one file only is present there and absent in the other
    const matrix = matrixOf(api.results);
    const differing = matrix.filter((m) => new Set(m.states).size > 1);
    const onlyOne = matrix.find((m) => m.states.filter((s) => s === 'present').length === 1 && m.states.includes('absent'));
    assert.ok(page.url().includes('values=') && !hashParams(page).get('diff'));
    if (differing.length === 0) {
      assert.ok((await page.locator('table.values-matrix .matrix-empty').textContent()).includes('No differences'));
    } else {
      assert.equal(await matrixRows(page).count(), differing.length, 'only the differing findings');
    }
    if (onlyOne) {
      const f = onlyOne.finding;
      const row = matrixRows(page).filter({ has: page.locator('th[scope="row"]', { hasText: f.message }) });
      assert.equal(await row.count(), 1, `one row for ${f.check}: ${f.message}`);
      assert.equal(await row.locator('a.check-link').textContent(), f.check);
      for (const [i, state] of onlyOne.states.entries()) {
        const cell = row.locator(`td[data-values="${names[i]}"]`);
        const text = await cell.textContent();
        assert.ok(text.includes(state), `${f.check} is ${state} under ${names[i]}: ${text}`);
        if (state === 'present') assert.equal(await cell.locator('.sev').textContent(), f.severity);
      }
    } else {
      console.log('# the demo values files differ in no finding present under one file only');
    }
    await assertAxe(page);

    // all distinct findings, the differing ones first; ignored cells give their reason
    const box = page.getByRole('checkbox', { name: 'Only differences' });
    await box.focus();
    await page.keyboard.press('Space');
    await page.waitForFunction((n) => document.querySelectorAll('table.values-matrix tr.matrix-row').length === n, matrix.length, T);
    assert.equal(hashParams(page).get('diff'), 'all');
    const classes = await matrixRows(page).evaluateAll((els) => els.map((e) => e.classList.contains('matrix-differs')));
    assert.deepEqual(classes, matrix.map((_, i) => i < differing.length), 'differing rows first');
    await page.locator('.tabs').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'helm-matrix');
    for (const m of matrix.filter((x) => x.states.includes('ignored'))) {
      const row = matrixRows(page).filter({ has: page.locator('th[scope="row"]', { hasText: m.finding.message }) });
      for (const [i, state] of m.states.entries()) {
        const cell = row.locator(`td[data-values="${names[i]}"]`);
        assert.equal(await cell.getAttribute('data-state'), state, `${m.finding.check} under ${names[i]}`);
        const reason = api.results[i].ignored.find((x) => findingId(x) === findingId(m.finding))?.ignored_reason;
        if (state === 'ignored') assert.ok((await cell.textContent()).includes(reason), 'ignored with its reason');
      }
    }
    await assertAxe(page);

    // the view choice is hash state: the one table survives a reload, and so does the matrix
    const table = page.getByRole('tab', { name: 'One table' });
    await table.focus();
    await page.keyboard.press('Enter');
    await page.locator('table.findings').waitFor(T);
    assert.equal(hashParams(page).get('view'), 'table');
    await page.reload();
    await loaded(page);
    assert.equal(await page.locator('table.values-matrix').count(), 0);
    assert.equal(await rows(page).count(), api.results.flatMap((r) => r.findings).length);
    assert.equal(await table.getAttribute('aria-selected'), 'true');
    await page.getByRole('tab', { name: 'Side by side' }).click();
    await page.locator('table.values-matrix').waitFor(T);
    assert.equal(hashParams(page).get('view'), 'matrix');
    await page.reload();
    await loaded(page);
    await page.locator('table.values-matrix').waitFor(T);
    assert.equal(await page.getByRole('tab', { name: 'Side by side' }).getAttribute('aria-selected'), 'true');
    assert.equal(await matrixRows(page).count(), matrix.length, '"only differences" off survives the reload too');

    // the check id links to the rules section, as in the table
    const f = (onlyOne || matrix[0]).finding;
    const link = matrixRows(page).filter({ has: page.locator('th[scope="row"]', { hasText: f.message }) }).locator('a.check-link');
    await assertRuleLink(page, link, api.rules.find((r) => r.id === f.check), 'helm');
    assert.equal(hashParams(page).get('view'), 'matrix');
    await assertAxe(page);
  });

  it('helm: a bad kubeVersion shows the 400 problem', async () => {
    const bad = await apiCall(server.url, '/api/helm/checks?kubeVersion=abc', ADMIN);
    assert.equal(bad.status, 400);
    const p = await newPage(browser);
    await signIn(p, server.url, ADMIN);
    await open(p, '#/deployments/helm', 'Helm chart');
    await p.getByLabel('Kubernetes version').fill('abc');
    await p.getByRole('button', { name: 'Render and check' }).click();
    const problem = p.locator('main .problem');
    await problem.waitFor(T);
    const text = await problem.textContent();
    assert.ok(text.includes(bad.json.detail), text);
    assert.ok(text.includes('400'));
    assert.equal(await p.locator('main .busy').count(), 0);
    assert.deepEqual(p.offOrigin(server.url), []);
    // the browser logs the failed request itself; nothing else may be logged
    assert.deepEqual(p.consoleErrors.filter((e) => !e.includes('status of 400')), []);
    await p.context().close();
  });

  it('argocd: app cards, filter pane by project, findings and rules', async () => {
    const api = await get('/api/argocd/apps');
    await open(page, '#/deployments/argocd', 'Argo CD apps');
    const cards = () => page.locator('li.app-card').evaluateAll((els) => els.map((e) => e.dataset.app));
    assert.deepEqual((await cards()).sort(), api.apps.map((a) => a.name).sort());
    for (const a of api.apps) {
      const card = await page.locator(`li.app-card[data-app="${a.name}"]`).textContent();
      for (const s of a.sources) {
        assert.ok(card.includes(s.repoURL) && card.includes(s.targetRevision) && card.includes(s.path), `${a.name} source`);
      }
      if (a.destination.namespace) assert.ok(card.includes(a.destination.namespace), `${a.name} destination`);
      for (const f of api.findings.filter((x) => x.object.name === a.name)) assert.ok(card.includes(f.message), `${a.name} finding on its card`);
    }
    for (const p of api.projects) assert.equal(await page.locator(`li[data-project="${p.name}"]`).count(), 1);
    for (const f of api.findings) await assertFindingRow(page, f);
    await assertCounts(page, api.summary);
    await assertAxe(page);
    await screenshot(page, 'argocd');
    const objects = api.apps.map((a) => ({ kind: a.kind, namespace: a.namespace, name: a.name }));
    await assertToggle(page, api, objects);
    const f = api.findings[0];
    await assertFilterKept(page, 'Check', f.check, api.findings.filter((x) => x.check === f.check).length, 'check');

    // the filter pane asks the server: the cards are GET /api/argocd/apps?project=<p>'s apps
    const project = api.projects[0].name;
    const filtered = await get('/api/argocd/apps?project=' + encodeURIComponent(project));
    assert.ok(filtered.apps.length < api.apps.length, 'the project filter narrows the demo apps');
    await select(page, 'Project').selectOption(project);
    await page.waitForFunction(() => new URLSearchParams(location.hash.split('?')[1]).get('project'), null, T);
    await loaded(page);
    assert.deepEqual((await cards()).sort(), filtered.apps.map((a) => a.name).sort());
    await assertCounts(page, filtered.summary);
    await page.reload();
    await loaded(page);
    assert.deepEqual((await cards()).sort(), filtered.apps.map((a) => a.name).sort(), 'still filtered after reload');
    assert.equal(await select(page, 'Project').inputValue(), project);
    await page.getByRole('button', { name: 'Clear', exact: true }).click();
    await page.waitForFunction((n) => document.querySelectorAll('li.app-card').length === n && !document.querySelector('main .busy'), api.apps.length, T);

    const row = await assertFindingRow(page, f);
    await assertRuleLink(page, row.locator('a.check-link'), api.rules.find((r) => r.id === f.check), 'argocd');
    assert.equal(await page.locator('table.rules tbody tr').count(), api.rules.length);
    await assertAxe(page);
  });

  it('keda: scalers, template excerpt, values, findings and rules', async () => {
    const api = await get('/api/keda/scalers');
    await open(page, '#/deployments/keda', 'KEDA scalers');
    await page.getByRole('heading', { name: 'Template excerpt' }).waitFor(T);
    assert.equal(await page.locator('pre.template-excerpt').textContent(), api.keda_template_excerpt);
    for (const s of [...api.scaled_objects, ...api.scaled_jobs]) {
      const card = page.locator(`li.scaler-card[data-scaler="${s.name}"]`);
      assert.equal(await card.count(), 1);
      const text = await card.textContent();
      if (s.target) assert.ok(text.includes(`${s.target.kind}/${s.target.name}`));
      assert.ok(text.includes(`${s.file}:${s.line}`) && text.includes(`${s.minReplicaCount} / ${s.maxReplicaCount}`));
      for (const t of s.triggers) assert.ok(text.includes(t.type) && text.includes(t.metadata.query ?? t.type));
    }
    for (const a of api.trigger_authentications) {
      assert.equal(await page.locator('section[aria-labelledby="trigger-auths-h"] tbody tr').filter({ hasText: a.name }).count(), 1);
    }
    const values = await page.locator('section[aria-labelledby="values-h"]').textContent();
    assert.ok(values.includes(api.values_path) && values.includes(api.keda_values.prometheus.serverAddress));
    await assertCounts(page, api.summary);
    for (const f of api.findings) await assertFindingRow(page, f);
    await assertAxe(page);
    await screenshot(page, 'keda');
    await assertToggle(page, api, [...api.scaled_objects, ...api.scaled_jobs, ...api.trigger_authentications]);
    assert.equal(await page.locator('table.rules tbody tr').count(), api.rules.length);
    if (api.findings.length) {
      const f = api.findings[0];
      await assertRuleLink(page, (await assertFindingRow(page, f)).locator('a.check-link'), api.rules.find((r) => r.id === f.check), 'keda');
    } else {
      // clean scalers: no finding links to a rule, the rules list is still addressable by URL
      const rule = api.rules[0];
      await open(page, '#/deployments/keda?rule=' + rule.id, 'KEDA scalers');
      assert.ok((await page.locator('.rule-focus').textContent()).includes(rule.description));
      assert.ok((await page.locator('table.rules tr.rule-selected').textContent()).includes(rule.description));
    }
  });

  it('karpenter: CPU and GPU cards with limits, taints and GPU workloads, findings and rules', async () => {
    const api = await get('/api/karpenter/nodepools');
    await open(page, '#/deployments/karpenter', 'Karpenter node pools');
    for (const cls of ['cpu', 'gpu']) {
      const pools = api.nodepools.filter((p) => p.class === cls);
      assert.ok(pools.length > 0, `the demo has a ${cls} pool`);
      assert.deepEqual(await page.locator(`li.pool-${cls}`).evaluateAll((els) => els.map((e) => e.dataset.pool)), pools.map((p) => p.name));
      for (const p of pools) {
        const card = await page.locator(`li.pool-card[data-pool="${p.name}"]`).textContent();
        for (const [k, v] of Object.entries(p.limits)) assert.ok(card.includes(`${k}: ${v}`), `${p.name} limit ${k}`);
        for (const t of p.taints) assert.ok(card.includes(`${t.key}=${t.value}:${t.effect}`), `${p.name} taint`);
        for (const r of p.requirements) assert.ok(card.includes(r.key), `${p.name} requirement ${r.key}`);
        assert.ok(card.includes(p.disruption.consolidationPolicy));
        for (const w of api.gpu_workloads.filter((x) => x.pool === p.name)) {
          assert.ok(card.includes(`${w.kind}/${w.name}`), `${w.name} lands on ${p.name}`);
          assert.ok(card.includes(w.fits ? 'fits the limits' : 'exceeds the limits'));
          assert.ok(card.includes(`${w.needs['nvidia.com/gpu'].need}`));
        }
      }
    }
    assert.equal(api.nodepools.find((p) => p.name === api.gpu_pool_name).class, 'gpu');
    for (const c of api.node_classes) {
      assert.equal(await page.locator('section[aria-labelledby="node-classes-h"] tbody tr').filter({ hasText: c.name }).count(), 1);
    }
    for (const f of api.findings) await assertFindingRow(page, f);
    await assertCounts(page, api.summary);
    await assertAxe(page);
    await screenshot(page, 'karpenter');
    await assertToggle(page, api, [...api.nodepools, ...api.node_classes]);
    const f = api.findings[0];
    await assertFilterKept(page, 'Source file', f.file, api.findings.filter((x) => x.file === f.file).length, 'file');
    const row = await assertFindingRow(page, f);
    await assertRuleLink(page, row.locator('a.check-link'), api.rules.find((r) => r.id === f.check), 'karpenter');
    await assertAxe(page);
  });

  it('demo-viewer sees keda and karpenter unavailable for want of autoscaling.read', async () => {
    const p = await newPage(browser);
    await signIn(p, server.url, 'demo-viewer');
    for (const [hash, title] of [['#/deployments/keda', 'KEDA scalers'], ['#/deployments/karpenter', 'Karpenter node pools']]) {
      const item = p.locator('nav.side li').filter({ has: p.getByRole('link', { name: title, exact: true }) });
      assert.ok((await item.locator('.nav-reason').textContent()).includes('autoscaling.read'), `${title} marked in the nav`);
      await openPage(p, hash);
      await p.locator('main .unavailable h1', { hasText: title }).waitFor(T);
      assert.ok((await p.locator('main .unavailable').textContent()).includes('autoscaling.read'));
    }
    const helm = p.locator('nav.side li').filter({ has: p.getByRole('link', { name: 'Helm chart', exact: true }) });
    assert.equal(await helm.locator('.nav-reason').count(), 0, 'helm stays available with deployments.read');
    assert.deepEqual(p.offOrigin(server.url), []);
    assert.deepEqual(p.consoleErrors, []);
    await p.context().close();
  });

  it('no request left the origin and nothing was logged on the pages above', () => {
    assert.ok(page.requests.some((u) => u.includes('/api/karpenter/nodepools')), 'the pages were visited');
    assert.deepEqual(page.offOrigin(server.url), []);
    assert.deepEqual(page.consoleErrors, []);
  });
});
