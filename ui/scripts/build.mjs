// Assembles the served GUI in target/web: our own files from web/, and the libraries the page imports, copied
// from node_modules (installed by `npm ci` from package-lock.json) into vendor/. No bundler: the import map in
// index.html names these files, so what the browser runs is what npm installed.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'target', 'web');
const vendor = join(out, 'vendor');

// [file in node_modules, name under vendor/]
const FILES = [
  ['preact/dist/preact.mjs', 'preact.mjs'],
  ['preact/hooks/dist/hooks.mjs', 'preact-hooks.mjs'],
  ['@preact/signals-core/dist/signals-core.mjs', 'signals-core.mjs'],
  ['@preact/signals/dist/signals.mjs', 'signals.mjs'],
  ['htm/dist/htm.mjs', 'htm.mjs'],
  ['uplot/dist/uPlot.esm.js', 'uplot.mjs'],
  ['uplot/dist/uPlot.min.css', 'uplot.css'],
  ['marked/lib/marked.esm.js', 'marked.mjs'],
  ['dompurify/dist/purify.es.mjs', 'purify.mjs'],
];
const PACKAGES = ['preact', 'htm', '@preact/signals', '@preact/signals-core', 'uplot', 'marked', 'dompurify'];

rmSync(out, { recursive: true, force: true });
cpSync(join(root, 'web'), out, { recursive: true });
mkdirSync(vendor, { recursive: true });
for (const [from, to] of FILES) {
  cpSync(join(root, 'node_modules', from), join(vendor, to));
}
const versions = {};
for (const name of PACKAGES) {
  const pkg = JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8'));
  versions[name] = { version: pkg.version, license: pkg.license };
  for (const license of ['LICENSE', 'LICENSE.md', 'LICENSE.txt']) {
    try {
      cpSync(join(root, 'node_modules', name, license), join(vendor, 'licenses', name.replace('/', '__') + '.txt'));
      break;
    } catch { /* try the next spelling */ }
  }
}
writeFileSync(join(vendor, 'versions.json'), JSON.stringify(versions, null, 2) + '\n');
console.log(`ui: assembled ${out} (${FILES.length} vendored files)`);
