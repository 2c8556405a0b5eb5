// The helm answer's schema validation, CRD rules, admission policies and custom checks at a glance: each count
// links to the findings table filtered to its check (?check=), so the numbers are a way into the rows.
import { html } from './html.js';
import { href } from './router.js';
import { withParams } from './findings.js';

export const SCHEMA = 'helm.schema';
export const SCHEMA_UNKNOWN = 'helm.schema-unknown';
export const CRD_RULE = 'helm.crd-rule';
export const ADMISSION = 'helm.admission-policy';
const CUSTOM_PREFIX = 'helm.custom.';
const SEVERITIES = ['error', 'warning', 'info'];
const plural = (n, one, many = one + 's') => `${n} ${n === 1 ? one : many}`;

/**
 * Policy, binding and action of an admission-policy finding, read from its message (the plugin names them there:
 * "... admission policy P (binding B, Deny): ...", "admission policy P has no binding ...").
 */
export function policyOf(f) {
  const m = f.message || '';
  let r = /admission policy (\S+) \(binding ([^,)\s]+), ([^)]+)\)/.exec(m);
  if (r) return { policy: r[1], binding: r[2], action: r[3] };
  r = /admission policy (\S+) \(binding ([^)\s]+)\)/.exec(m);
  if (r) return { policy: r[1], binding: r[2], action: '' };
  r = /binding (\S+) of admission policy (\S+)/.exec(m);
  if (r) return { policy: r[2], binding: r[1], action: 'no validationActions' };
  r = /admission policy (\S+) has no binding/.exec(m);
  if (r) return { policy: r[1], binding: '', action: 'not bound' };
  r = /admission policy (\S+?):? .*?binding (\S+)/.exec(m);
  if (r) return { policy: r[1], binding: r[2], action: '' };
  r = /admission policy (\S+?):? /.exec(m);
  if (r) return { policy: r[1], binding: '', action: '' };
  return { policy: '(policy files)', binding: '', action: '' };
}

/** Findings of one policy and binding, in the order they first appear, with their counts per severity. */
function policyGroups(findings) {
  const groups = new Map();
  for (const f of findings) {
    const p = policyOf(f);
    const key = p.policy + '\u0000' + p.binding;
    if (!groups.has(key)) groups.set(key, { ...p, key, bySeverity: {}, total: 0 });
    const g = groups.get(key);
    g.bySeverity[f.severity] = (g.bySeverity[f.severity] || 0) + 1;
    g.total += 1;
  }
  return [...groups.values()];
}

function CheckLink({ path, query, check, several, children }) {
  const params = withParams(query, { check, rule: null, show: null, view: several ? 'table' : null });
  const current = query.get('check') === check;
  return html`<a class="check-count" href=${href(path, params)} data-check=${check}
    aria-current=${current ? 'true' : undefined}>${children}</a>`;
}

const bySeverityText = (counts) => SEVERITIES.filter((s) => counts[s]).map((s) => `${counts[s]} ${s}`).join(', ');

/**
 * The section. findings: the answer's failing findings (all values files); rules: the answer's rules (custom
 * checks without a finding are listed as passing); several: more than one values file (the links open the one
 * table, where the check filter applies).
 */
export function SchemaPolicies({ path, query, findings = [], rules = [], several = false }) {
  const of = (id) => findings.filter((f) => f.check === id);
  const schema = of(SCHEMA);
  const unknown = of(SCHEMA_UNKNOWN);
  const unreadable = unknown.filter((f) => f.severity !== 'info');
  const crd = of(CRD_RULE);
  const admission = of(ADMISSION);
  const customIds = [...new Set([...rules.map((r) => r.id), ...findings.map((f) => f.check)]
    .filter((id) => id && id.startsWith(CUSTOM_PREFIX)))].sort();
  const link = (check, text) => html`<${CheckLink} path=${path} query=${query} check=${check} several=${several}>${text}</${CheckLink}>`;
  const count = (check, list, one, many) => (list.length ? link(check, plural(list.length, one, many))
    : html`<span class="muted">${plural(0, one, many)}</span>`);
  const schemaOff = schema.length === 0 && unknown.length === 0;
  return html`<section class="section schema-policies" aria-labelledby="schema-policies-h">
    <div class="section-head"><h2 id="schema-policies-h">Schema and policies</h2></div>
    <div class="sp-grid">
      <div class="sp-card" role="group" aria-labelledby="sp-schema-h">
        <h3 id="sp-schema-h">Schema validation</h3>
        ${schemaOff ? html`<p class="sp-off" data-testid="schema-off"><strong>Schema validation is off:</strong>
            ${' '}set <code>plugins.helm.schemas.dir</code> to a folder of Kubernetes OpenAPI documents
            (and <code>plugins.helm.crds</code> for custom resources).</p>
          <p class="muted">This answer has no <code>${SCHEMA}</code> or <code>${SCHEMA_UNKNOWN}</code> finding; with a
            schema source, every kind it cannot validate is listed as not validated.</p>`
        : html`<ul class="plain sp-counts">
            <li data-count="schema">${count(SCHEMA, schema, 'schema error')}</li>
            <li data-count="schema-unknown">${count(SCHEMA_UNKNOWN, unknown, 'kind not validated', 'kinds not validated')}
              ${unreadable.length ? html` <span class="sev sev-warning">${plural(unreadable.length, 'schema source')} unreadable</span>` : null}</li>
          </ul>`}
      </div>
      <div class="sp-card" role="group" aria-labelledby="sp-crd-h">
        <h3 id="sp-crd-h">CRD rules</h3>
        <ul class="plain sp-counts"><li data-count="crd-rule">${count(CRD_RULE, crd, 'CRD rule failure')}</li></ul>
        <p class="muted">The <code>x-kubernetes-validations</code> of the CRDs serving the chart's custom resources.</p>
      </div>
      <div class="sp-card sp-admission" role="group" aria-labelledby="sp-admission-h">
        <h3 id="sp-admission-h">Admission policies</h3>
        ${admission.length === 0 ? html`<p class="muted" data-count="admission-policy">No admission-policy result: no
            ValidatingAdmissionPolicy applies (<code>plugins.helm.admission-policies</code>, the chart's own), or the
            chart passes those bound.</p>`
        : html`<table class="data sp-policies">
            <caption class="visually-hidden">Admission-policy results by policy and binding</caption>
            <thead><tr><th scope="col">Policy</th><th scope="col">Binding</th><th scope="col">Action</th><th scope="col">Results</th></tr></thead>
            <tbody>${policyGroups(admission).map((g) => html`<tr key=${g.key} data-policy=${g.policy}>
              <th scope="row"><code>${g.policy}</code></th>
              <td>${g.binding ? html`<code>${g.binding}</code>` : html`<span class="muted">–</span>`}</td>
              <td>${g.action || html`<span class="muted">–</span>`}</td>
              <td>${link(ADMISSION, bySeverityText(g.bySeverity))}</td></tr>`)}</tbody>
          </table>`}
      </div>
      <div class="sp-card" role="group" aria-labelledby="sp-custom-h">
        <h3 id="sp-custom-h">Custom checks</h3>
        ${customIds.length === 0 ? html`<p class="muted">None configured (<code>plugins.helm.custom-checks</code>).</p>`
        : html`<ul class="plain sp-counts">${customIds.map((id) => html`<li data-count=${id}><code>${id.slice(CUSTOM_PREFIX.length)}</code>:${' '}
            ${of(id).length ? link(id, plural(of(id).length, 'finding')) : html`<span class="badge badge-ok">passes</span>`}</li>`)}</ul>`}
      </div>
    </div>
  </section>`;
}
