// The console's shell in a real browser: sign-in, the caller panel, navigation built from /api/plugins (a
// dropped plugin disappears, a failed one shows its reason, a missing scope is named), tenant views for
// admins, the token kept out of URLs and storage that outlives the tab, and the GUI served from another origin.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, rmSync, statSync, createReadStream } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { PAGES } from '../web/js/pages.js';
import {
  apiCall, axeViolations, DIST, freePort, serverAndBrowser, launchBrowser, newPage, openPage, screenshot, signIn, skipReason, startServer,
} from './harness.mjs';

const skip = skipReason() ?? false;

describe('the console shell', { skip }, () => {
  let server, browser, extra;
  before(async () => {
    // a plugin folder whose jar is not a jar: it must fail alone, with its reason on the page
    extra = mkdtempSync(join(tmpdir(), 'cp-gui-plugins-'));
    mkdirSync(join(extra, 'broken'));
    writeFileSync(join(extra, 'broken', 'broken-plugin.jar'), 'this is not a zip file');
    server = await startServer({ CP_EXTRA_PLUGINS_DIR: extra, PLUGINS_ARGOCD_ENABLED: 'false' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    if (extra) rmSync(extra, { recursive: true, force: true });
  });

  it('refuses an unknown token with the server\'s problem detail', async () => {
    const page = await newPage(browser);
    await page.goto(server.url + '/');
    await page.getByLabel('Bearer token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const expected = (await apiCall(server.url, '/api/plugins', 'not-a-token')).json.detail;
    assert.ok(expected, 'the 401 carries a detail');
    assert.match(await alert.innerText(), new RegExp(expected.slice(0, 40).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, 'sign-in');
    await page.context().close();
  });

  it('signs in, names the caller, and builds the navigation from the loaded plugins', async () => {
    const page = await newPage(browser);
    await signIn(page, server.url, 'demo-admin');
    const listed = (await apiCall(server.url, '/api/plugins', 'demo-admin')).json;
    assert.equal(await page.getByTestId('subject').innerText(), listed.caller.subject);
    assert.equal(await page.getByTestId('tenant').innerText(), listed.caller.tenant_id);
    await page.getByText(`${listed.caller.scopes.length} scopes`).click();
    for (const s of listed.caller.scopes) await page.locator('.scopes li', { hasText: s }).waitFor();

    const nav = page.getByRole('navigation', { name: 'Capabilities' });
    // argocd is disabled: its page is gone; the others of the demo are there
    assert.equal(await nav.getByRole('link', { name: 'Argo CD apps' }).count(), 0);
    for (const name of ['Test runs', 'Metrics', 'Helm chart', 'KEDA scalers', 'OpenAPI check', 'Audit log', 'Plugins']) {
      assert.equal(await nav.getByRole('link', { name }).count(), 1, name);
    }
    // the broken plugin is listed with the reason the server gives
    const broken = listed.plugins.find((p) => p.status === 'failed');
    assert.ok(broken && broken.reason, 'the server reports the broken plugin as failed');
    await openPage(page, '#/plugins');
    const row = page.locator('tr', { hasText: broken.source.split('/').pop() });
    assert.match(await row.innerText(), /failed/);
    assert.ok((await row.innerText()).includes(broken.reason.slice(0, 30)));
    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, 'plugins');

    await openPage(page, '#/');
    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, 'overview');

    // the token is in no URL, cookie or localStorage
    const token = 'demo-admin';
    assert.ok(page.requests.every((u) => !u.includes(token)), 'no request URL carries the token');
    assert.equal(await page.evaluate(() => JSON.stringify(localStorage)), '{}');
    assert.deepEqual(await page.context().cookies(), []);
    assert.deepEqual(page.offOrigin(server.url), []);
    assert.deepEqual(page.consoleErrors, []);
    await page.context().close();
  });

  it('marks pages the token lacks the scope for, naming the scope', async () => {
    const page = await newPage(browser);
    await signIn(page, server.url, 'demo-viewer');
    const listed = (await apiCall(server.url, '/api/plugins', 'demo-viewer')).json;
    const metrics = listed.plugins.find((p) => p.id === 'metrics');
    const scope = metrics.routes.find((r) => r.path === '/api/metrics/aggregate').scopes[0];
    assert.ok(!listed.caller.scopes.includes(scope));
    const item = page.locator('nav li', { hasText: 'Metrics' });
    assert.match(await item.innerText(), new RegExp(`unavailable: needs the scope '${scope.replace('.', '\\.')}'`));
    await openPage(page, '#/metrics');
    const text = await page.locator('main').innerText();
    assert.match(text, /unavailable to your token/);
    assert.ok(text.includes(scope));
    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, 'unavailable');
    await page.context().close();
  });

  it('lets a tenants.admin view another tenant, and keeps the view across a reload', async () => {
    const page = await newPage(browser);
    await signIn(page, server.url, 'demo-root');
    await page.getByLabel('View tenant').fill('tB');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByTestId('tenant').filter({ hasText: 'tB' }).waitFor();
    assert.match(await page.locator('.who').innerText(), /home ops/);
    await page.reload();
    await page.getByTestId('tenant').filter({ hasText: 'tB' }).waitFor();
    await page.context().close();
  });

  it('works from the keyboard alone: sign in, skip to content, reach a page through the navigation', async () => {
    const page = await newPage(browser);
    await page.goto(server.url + '/');
    await page.getByLabel('Bearer token').focus();
    await page.keyboard.type('demo-admin');
    await page.keyboard.press('Enter');
    await page.getByRole('navigation', { name: 'Capabilities' }).waitFor();
    // the first Tab stop is the skip link, and it moves focus to the main content
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
    // Tab on (through the landing page, round to the header and the navigation) until the Plugins link has focus
    let reached = false;
    for (let i = 0; i < 120 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.matches('nav.side a') && document.activeElement.textContent === 'Plugins');
    }
    assert.ok(reached, 'the Plugins link is reachable with Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Plugins', exact: true }).waitFor();
    assert.equal(await page.evaluate(() => location.hash), '#/plugins');
    await page.context().close();
  });

  it('opens bookmarked routes directly after sign-in, and says when a route does not exist', async () => {
    const page = await newPage(browser);
    await signIn(page, server.url, 'demo-admin');
    await page.goto(server.url + '/#/no/such/page');
    await page.getByRole('heading', { name: 'Not found' }).waitFor();
    await page.goto(server.url + '/#/plugins');
    await page.getByRole('heading', { name: 'Plugins', exact: true }).waitFor();
    await page.context().close();
  });
});

describe('every page of the registry', { skip }, () => {
  const ctx = serverAndBrowser();

  it('opens with its title, no WCAG 2 A/AA violation, and no request off the origin', async () => {
    const page = await newPage(ctx.browser);
    await signIn(page, ctx.server.url, 'demo-admin');
    for (const p of PAGES) {
      await openPage(page, '#' + p.path, { title: p.title });
      assert.equal((await page.locator('main h1').first().innerText()).trim(), p.title, p.path);
      assert.deepEqual(await axeViolations(page), [], p.path);
    }
    assert.deepEqual(page.offOrigin(ctx.server.url), []);
    assert.deepEqual(page.consoleErrors, []);
    await page.context().close();
  });
});

describe('the console served by another web server', { skip }, () => {
  let server, browser, statics, config;
  before(async () => {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    statics = serveFolder(join(DIST, 'ui'), port);
    config = join(mkdtempSync(join(tmpdir(), 'cp-gui-cors-')), 'application.yaml');
    writeFileSync(config, readFileSync(join(DIST, 'config', 'application.yaml'), 'utf8')
      .replace(/^cors:\n {2}allowed-origins: \[\]$/m, `cors:\n  allowed-origins: ["${origin}"]`));
    assert.match(readFileSync(config, 'utf8'), new RegExp(origin), 'the copied config names the GUI origin');
    server = await startServer({ CP_CONFIG: config });
    server.guiOrigin = origin;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    statics?.close();
  });

  it('signs in against a control plane URL on another origin (CORS)', async () => {
    const page = await newPage(browser);
    await signIn(page, server.guiOrigin, 'demo-admin', { base: server.url });
    await openPage(page, '#/plugins');
    await page.locator('td', { hasText: 'helm' }).first().waitFor();
    const apiCalls = page.requests.filter((u) => u.startsWith(server.url + '/api/'));
    assert.ok(apiCalls.length > 0, 'the page called the other origin');
    assert.deepEqual(page.consoleErrors, []);
    await page.context().close();
  });
});

/** A minimal static file server (what a site might put in front of the GUI), confined to its folder. */
function serveFolder(root, port) {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.json': 'application/json' };
  const http = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(root, path.endsWith('/') ? path + 'index.html' : path);
    try {
      if (!file.startsWith(root) || !statSync(file).isFile()) throw new Error('no file');
      res.writeHead(200, { 'Content-Type': types[extname(file)] || 'application/octet-stream' });
      createReadStream(file).pipe(res);
    } catch {
      res.writeHead(404).end();
    }
  });
  http.listen(port, '127.0.0.1');
  return http;
}
