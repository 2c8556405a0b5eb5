// Every page of the GUI: its hash path, the plugin and route it reads, and the module that draws it (loaded when
// first opened). A page whose plugin is absent leaves the navigation; one without the route's scope is marked.
// A page without a plugin reads server routes that any signed-in caller may call (the overview's GET /api/checks
// answers whoever asks, and names the plugins it left out for want of a scope). findings: the page shows a
// FindingsTable, so its hash takes the findings filters (severity, object…); params: the render inputs it takes.
export const PAGES = [
  { id: 'overview', path: '/', title: 'Overview', group: 'Workspace', route: 'GET /api/checks',
    load: () => import('./pages/overview.js') },
  { id: 'testruns', path: '/testruns', title: 'Test runs', group: 'Tests', plugin: 'testruns',
    route: 'GET /api/testruns', load: () => import('./pages/testruns.js') },
  { id: 'compare', path: '/compare', title: 'Compare runs', group: 'Tests', plugin: 'testruns',
    route: 'GET /api/testruns', load: () => import('./pages/compare.js') },
  { id: 'reports', path: '/reports', title: 'Reports', group: 'Tests', plugin: 'reports',
    route: 'GET /api/reports/export', load: () => import('./pages/reports.js') },
  { id: 'metrics', path: '/metrics', title: 'Metrics', group: 'Observability', plugin: 'metrics',
    route: 'POST /api/metrics/aggregate', load: () => import('./pages/metrics.js') },
  { id: 'helm', path: '/deployments/helm', title: 'Helm chart', group: 'Deployments', plugin: 'helm',
    route: 'GET /api/helm/checks', findings: true, params: ['values', 'kubeVersion', 'app'],
    load: () => import('./pages/helm.js') },
  { id: 'argocd', path: '/deployments/argocd', title: 'Argo CD apps', group: 'Deployments', plugin: 'argocd',
    route: 'GET /api/argocd/apps', findings: true, load: () => import('./pages/argocd.js') },
  { id: 'keda', path: '/deployments/keda', title: 'KEDA scalers', group: 'Deployments', plugin: 'keda',
    route: 'GET /api/keda/scalers', findings: true, load: () => import('./pages/keda.js') },
  { id: 'karpenter', path: '/deployments/karpenter', title: 'Karpenter node pools', group: 'Deployments',
    plugin: 'karpenter', route: 'GET /api/karpenter/nodepools', findings: true, load: () => import('./pages/karpenter.js') },
  { id: 'openapi', path: '/compliance/openapi', title: 'OpenAPI check', group: 'Compliance', plugin: 'compliance',
    route: 'POST /api/compliance/openapi/check', load: () => import('./pages/openapi.js') },
  { id: 'hif', path: '/compliance/hif', title: 'HIF validation', group: 'Compliance', plugin: 'compliance',
    route: 'POST /api/compliance/hif/validate', load: () => import('./pages/hif.js') },
  { id: 'audit', path: '/audit', title: 'Audit log', group: 'Security', plugin: 'audit',
    route: 'GET /api/audit/search', load: () => import('./pages/audit.js') },
  { id: 'plugins', path: '/plugins', title: 'Plugins', group: 'Server', load: () => import('./pages/plugins.js') },
];

/** The page for a hash path, and the rest of the path after the page's own ("/testruns/tr-1" → "tr-1"). */
export function match(path) {
  let best = null;
  for (const p of PAGES) {
    if (path === p.path || path.startsWith(p.path + '/')) {
      if (!best || p.path.length > best.path.length) best = p;
    }
  }
  if (!best) return null;
  return { page: best, rest: decodeURIComponent(path.slice(best.path.length).replace(/^\//, '')) };
}
