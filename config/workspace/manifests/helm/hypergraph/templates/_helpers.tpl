{{/*
Name prefix of every object: "hypergraph" unless fullnameOverride says otherwise. The keda and karpenter
plugins look for hypergraph-gateway and hypergraph-explainer, so the release name does not enter it.
*/}}
{{- define "hypergraph.fullname" -}}
{{- default .Chart.Name .Values.fullnameOverride | trunc 52 | trimSuffix "-" }}
{{- end }}

{{- define "hypergraph.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels of every object; the component ("gateway", "explainer") is passed as .component.
Usage: include "hypergraph.labels" (dict "root" . "component" "gateway")
*/}}
{{- define "hypergraph.labels" -}}
helm.sh/chart: {{ include "hypergraph.chart" .root }}
{{ include "hypergraph.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: hypergraph
{{- end }}

{{/*
Selector labels: stable across upgrades (Deployment selectors are immutable).
*/}}
{{- define "hypergraph.selectorLabels" -}}
app.kubernetes.io/name: {{ include "hypergraph.fullname" .root }}-{{ .component }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "hypergraph.image" -}}
{{- printf "%s:%s" .repository (required "image.tag is required" .tag | toString) }}
{{- end }}

{{/*
Container security context shared by both workloads.
*/}}
{{- define "hypergraph.containerSecurityContext" -}}
allowPrivilegeEscalation: false
capabilities:
  drop: ["ALL"]
{{- end }}
