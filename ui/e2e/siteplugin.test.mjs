// A site's own plugin in the console: the example plugin (examples/hello-plugin, built before the distribution)
// dropped into the extra plugins folder gets a navigation entry of its own under "Other plugins", marked
// unavailable for a token without its scope, and a page listing its routes whose GET route can be called.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  apiCall, axeViolations, launchBrowser, newPage, openPage, screenshot, signIn, skipReason, startServer, UI_ROOT,
} from './harness.mjs';

const HELLO = join(UI_ROOT, '..', 'examples', 'hello-plugin', 'target', 'plugin');
const noHello = existsSync(join(HELLO, 'hello')) ? null : `no example plugin at ${HELLO} (mvn package first)`;
if (noHello && process.env.CI === 'true') throw new Error('browser tests cannot run under CI=true: ' + noHello);
const skip = skipReason() ?? noHello ?? false;

const DEMO = ['tests.read', 'tests.run', 'observability.read', 'deployments.read', 'autoscaling.read', 'security.read',
  'compliance.read'];
const TOKENS = JSON.stringify({
  'site-admin': { tenant_id: 'tA', subject: 'site-admin', scopes: [...DEMO, 'hello.read'] },
  'demo-admin': { tenant_id: 'tA', subject: 'ops-admin', scopes: DEMO },
});

describe('a site plugin in the console', { skip }, () => {
  let server, browser;
  before(async () => {
    server = await startServer({ CP_EXTRA_PLUGINS_DIR: HELLO, AUTH_TOKENS_JSON: TOKENS });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('is in the navigation, unavailable without its scope, naming it', async () => {
    const listed = (await apiCall(server.url, '/api/plugins', 'demo-admin')).json;
    const hello = listed.plugins.find((p) => p.id === 'hello');
    assert.equal(hello?.status, 'active', JSON.stringify(hello));
    const page = await newPage(browser);
    await signIn(page, server.url, 'demo-admin');
    const nav = page.getByRole('navigation', { name: 'Capabilities' });
    const item = nav.locator('li', { has: page.getByRole('link', { name: 'hello', exact: true }) });
    await item.waitFor();
    assert.match(await item.innerText(), /unavailable: needs the scope 'hello\.read'/);
    await page.context().close();
  });

  it('has a page of its routes, and its GET route answers as the API does', async () => {
    const page = await newPage(browser);
    await signIn(page, server.url, 'site-admin');
    const nav = page.getByRole('navigation', { name: 'Capabilities' });
    await nav.getByRole('link', { name: 'hello', exact: true }).click();
    await page.getByRole('heading', { name: 'Plugin hello' }).waitFor();
    assert.equal(new URL(page.url()).hash, '#/plugins/hello');
    const route = (await apiCall(server.url, '/api/plugins', 'site-admin')).json.plugins
      .find((p) => p.id === 'hello').routes.find((r) => r.method === 'GET');
    await page.getByText(`${route.method} ${route.path}`, { exact: true }).waitFor();
    await page.getByRole('button', { name: `Call ${route.method} ${route.path}` }).click();
    const answer = page.getByLabel(`Answer of ${route.path}`);
    await answer.waitFor();
    const expected = (await apiCall(server.url, route.path, 'site-admin')).json;
    assert.deepEqual(JSON.parse(await answer.innerText()), expected);
    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, 'site-plugin');
    await page.context().close();
  });

  it('says so when no such plugin is loaded', async () => {
    const page = await newPage(browser);
    await signIn(page, server.url, 'site-admin');
    await openPage(page, '#/plugins/nope', { title: 'Plugin nope' });
    const said = await page.locator('main p', { hasText: 'is loaded on this server' }).innerText();
    assert.match(said, /No plugin nope is loaded on this server/);
    await page.context().close();
  });
});
