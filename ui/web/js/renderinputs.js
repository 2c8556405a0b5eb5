// Render inputs that several pages take (the helm page and the workspace overview): values files travel
// comma-separated in the hash (as `helm --values a.yaml,b.yaml` takes them) and repeated to the API.
import { html } from './html.js';
import { Field } from './ui.js';

export const splitValues = (s) => (s || '').split(',').map((v) => v.trim()).filter(Boolean);

/** One labelled input per values file, with add and remove; values is never empty (one blank row at least). */
export function ValuesFiles({ values, onChange, hint }) {
  const set = (i, v) => onChange(values.map((x, j) => (j === i ? v : x)));
  return html`<fieldset class="values-files"><legend>Values files</legend>
    ${values.map((v, i) => html`<div class="values-row">
      <${Field} label=${'Values file ' + (i + 1)}><input name="values" value=${v} placeholder="values-prod.yaml"
        onInput=${(e) => set(i, e.currentTarget.value)}/></${Field}>
      ${values.length > 1 ? html`<button type="button" aria-label=${'Remove values file ' + (i + 1)}
        onClick=${() => onChange(values.filter((_, j) => j !== i))}>Remove</button>` : null}
    </div>`)}
    <button type="button" onClick=${() => onChange([...values, ''])}>Add values file</button>
    ${hint ? html`<span class="hint">${hint}</span>` : null}
  </fieldset>`;
}
