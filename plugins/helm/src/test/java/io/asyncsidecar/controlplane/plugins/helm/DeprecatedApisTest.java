package io.asyncsidecar.controlplane.plugins.helm;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The deprecated-API table and the Kubernetes version parsing behind helm.api-removed and helm.api-deprecated.
 */
class DeprecatedApisTest {

    private static final DeprecatedApis TABLE = DeprecatedApis.table();

    @Test
    void kubernetesVersionsAreReadByMajorAndMinor() {
        assertThat(DeprecatedApis.Version.parse("1.25")).isEqualTo(new DeprecatedApis.Version(1, 25));
        assertThat(DeprecatedApis.Version.parse("1.25.3")).isEqualTo(new DeprecatedApis.Version(1, 25));
        assertThat(DeprecatedApis.Version.parse("v1.29.0-eks-123")).isEqualTo(new DeprecatedApis.Version(1, 29));
        assertThat(DeprecatedApis.Version.parse("1.24.3+k3s1")).isEqualTo(new DeprecatedApis.Version(1, 24));
        assertThat(DeprecatedApis.Version.parse("1.9")).isLessThan(DeprecatedApis.Version.parse("1.10"));
        assertThat(DeprecatedApis.Version.parse("1.31").toString()).isEqualTo("v1.31");
        for (String bad : List.of("latest", "1", "", "x1.2")) {
            assertThatThrownBy(() -> DeprecatedApis.Version.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theTableHoldsTheGuidesRemovalsByRelease() {
        record Row(String apiVersion, String kind, String deprecatedIn, String removedIn) {
        }
        List<Row> expected = List.of(
                new Row("extensions/v1beta1", "Deployment", "v1.8", "v1.16"),
                new Row("apps/v1beta1", "Deployment", "v1.8", "v1.16"),
                new Row("apps/v1beta2", "DaemonSet", "v1.9", "v1.16"),
                new Row("apps/v1beta1", "StatefulSet", "v1.8", "v1.16"),
                new Row("apps/v1beta2", "ReplicaSet", "v1.9", "v1.16"),
                new Row("extensions/v1beta1", "NetworkPolicy", "v1.9", "v1.16"),
                new Row("extensions/v1beta1", "PodSecurityPolicy", "v1.11", "v1.16"),
                new Row("admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration", "v1.16", "v1.22"),
                new Row("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition", "v1.16", "v1.22"),
                new Row("apiregistration.k8s.io/v1beta1", "APIService", "v1.19", "v1.22"),
                new Row("authentication.k8s.io/v1beta1", "TokenReview", "v1.19", "v1.22"),
                new Row("authorization.k8s.io/v1beta1", "SubjectAccessReview", "v1.19", "v1.22"),
                new Row("certificates.k8s.io/v1beta1", "CertificateSigningRequest", "v1.19", "v1.22"),
                new Row("coordination.k8s.io/v1beta1", "Lease", "v1.19", "v1.22"),
                new Row("extensions/v1beta1", "Ingress", "v1.14", "v1.22"),
                new Row("networking.k8s.io/v1beta1", "Ingress", "v1.19", "v1.22"),
                new Row("networking.k8s.io/v1beta1", "IngressClass", "v1.19", "v1.22"),
                new Row("rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding", "v1.17", "v1.22"),
                new Row("scheduling.k8s.io/v1beta1", "PriorityClass", "v1.14", "v1.22"),
                new Row("storage.k8s.io/v1beta1", "CSIDriver", "v1.19", "v1.22"),
                new Row("storage.k8s.io/v1beta1", "CSINode", "v1.17", "v1.22"),
                new Row("storage.k8s.io/v1beta1", "StorageClass", "v1.19", "v1.22"),
                new Row("storage.k8s.io/v1beta1", "VolumeAttachment", "v1.19", "v1.22"),
                new Row("batch/v1beta1", "CronJob", "v1.21", "v1.25"),
                new Row("discovery.k8s.io/v1beta1", "EndpointSlice", "v1.21", "v1.25"),
                new Row("events.k8s.io/v1beta1", "Event", "v1.22", "v1.25"),
                new Row("autoscaling/v2beta1", "HorizontalPodAutoscaler", "v1.22", "v1.25"),
                new Row("policy/v1beta1", "PodDisruptionBudget", "v1.21", "v1.25"),
                new Row("policy/v1beta1", "PodSecurityPolicy", "v1.21", "v1.25"),
                new Row("node.k8s.io/v1beta1", "RuntimeClass", "v1.22", "v1.25"),
                new Row("flowcontrol.apiserver.k8s.io/v1beta1", "PriorityLevelConfiguration", "v1.23", "v1.26"),
                new Row("autoscaling/v2beta2", "HorizontalPodAutoscaler", "v1.23", "v1.26"),
                new Row("storage.k8s.io/v1beta1", "CSIStorageCapacity", "v1.24", "v1.27"),
                new Row("flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema", "v1.26", "v1.29"),
                new Row("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", "v1.29", "v1.32"));
        for (Row row : expected) {
            DeprecatedApis.Api api = TABLE.find(row.apiVersion(), row.kind());
            assertThat(api).as(row.toString()).isNotNull();
            assertThat(api.deprecatedIn().toString()).as(row.toString()).isEqualTo(row.deprecatedIn());
            assertThat(api.removedIn().toString()).as(row.toString()).isEqualTo(row.removedIn());
        }
        assertThat(TABLE.apis().stream().mapToInt(a -> a.kinds().size()).sum()).isEqualTo(50);
    }

    @Test
    void everyRowIsConsistentAndSaysWhatToDo() {
        for (DeprecatedApis.Api api : TABLE.apis()) {
            assertThat(api.deprecatedIn()).as(api.apiVersion()).isLessThan(api.removedIn());
            assertThat(api.guide()).as(api.apiVersion()).matches("[a-z-]+-v1\\d\\d");
            assertThat(api.guide()).as(api.apiVersion()).endsWith("-v" + api.removedIn().major()
                    + api.removedIn().minor());
            assertThat(!api.replacements().isEmpty() || api.migration() != null).as(api.apiVersion()).isTrue();
            for (DeprecatedApis.Replacement r : api.replacements()) {
                assertThat(r.apiVersion()).as(api.apiVersion()).isNotEqualTo(api.apiVersion());
            }
        }
        for (String[] key : List.of(new String[] {"policy/v1beta1", "PodSecurityPolicy"},
                new String[] {"extensions/v1beta1", "PodSecurityPolicy"})) {
            DeprecatedApis.Api psp = TABLE.find(key[0], key[1]);
            assertThat(psp.migration()).contains("Pod Security Admission");
        }
        // Current APIs, and beta APIs the guide does not list, are not in the table.
        for (String[] current : List.of(new String[] {"apps/v1", "Deployment"}, new String[] {"policy/v1",
                "PodDisruptionBudget"}, new String[] {"autoscaling/v2", "HorizontalPodAutoscaler"},
                new String[] {"networking.k8s.io/v1", "Ingress"}, new String[] {"batch/v1", "CronJob"},
                new String[] {"admissionregistration.k8s.io/v1beta1", "ValidatingAdmissionPolicy"},
                new String[] {"networking.k8s.io/v1beta1", "ServiceCIDR"})) {
            assertThat(TABLE.find(current[0], current[1])).as(String.join(" ", current)).isNull();
        }
    }

    @Test
    void theReplacementIsTheNewestOneServedAtTheTarget() {
        DeprecatedApis.Api v1beta1 = TABLE.find("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema");
        assertThat(v1beta1.replacementAt(DeprecatedApis.Version.parse("1.24")).apiVersion())
                .isEqualTo("flowcontrol.apiserver.k8s.io/v1beta2");
        assertThat(v1beta1.replacementAt(DeprecatedApis.Version.parse("1.27")).apiVersion())
                .isEqualTo("flowcontrol.apiserver.k8s.io/v1beta3");
        assertThat(v1beta1.replacementAt(DeprecatedApis.Version.parse("1.33")).apiVersion())
                .isEqualTo("flowcontrol.apiserver.k8s.io/v1");
        DeprecatedApis.Api psp = TABLE.find("extensions/v1beta1", "PodSecurityPolicy");
        assertThat(psp.replacementAt(DeprecatedApis.Version.parse("1.20")).apiVersion()).isEqualTo("policy/v1beta1");
        assertThat(psp.replacementAt(DeprecatedApis.Version.parse("1.25"))).isNull();
    }
}
