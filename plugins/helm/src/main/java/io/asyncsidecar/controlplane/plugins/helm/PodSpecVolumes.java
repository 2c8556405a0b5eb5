package io.asyncsidecar.controlplane.plugins.helm;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.plugins.helm.PodSpecChecks.Container;
import io.asyncsidecar.controlplane.plugins.helm.PodSpecChecks.Pod;
import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.Severity;

/**
 * The node's file system in a pod: hostPath volumes, and which of them a container mounts (a container runtime's
 * socket, a system folder, writable).
 */
final class PodSpecVolumes {

    static final CheckRule HOST_PATH = new CheckRule("helm.host-path", Severity.WARNING,
            "Pods use no hostPath volumes.");
    static final CheckRule RUNTIME_SOCKET = new CheckRule("helm.host-path-docker-socket", Severity.ERROR,
            "No container mounts a container runtime's socket (docker.sock, containerd.sock, crio.sock) or its"
                    + " folder from the node.");
    static final CheckRule SENSITIVE = new CheckRule("helm.host-path-sensitive", Severity.WARNING,
            "No container mounts a system folder of the node (/, /boot, /dev, /etc, /lib, /proc, /sys, /usr).");
    static final CheckRule READ_ONLY = new CheckRule("helm.host-path-read-only", Severity.INFO,
            "Containers mount hostPath volumes read-only.");

    static final List<CheckRule> RULES = List.of(HOST_PATH, RUNTIME_SOCKET, SENSITIVE, READ_ONLY);

    private static final List<String> SOCKETS = List.of("docker.sock", "containerd.sock", "crio.sock",
            "cri-dockerd.sock", "dockershim.sock", "podman.sock");
    /** Folders that hold a runtime's socket: mounting them mounts the socket. */
    private static final Set<String> SOCKET_FOLDERS = Set.of("/var/run", "/run", "/var/run/docker", "/run/docker",
            "/var/run/containerd", "/run/containerd", "/var/run/crio", "/run/crio");
    /** kube-linter's sensitive-host-mounts. */
    private static final Set<String> SYSTEM_FOLDERS = Set.of("/", "/boot", "/dev", "/etc", "/lib", "/proc", "/sys",
            "/usr");

    private final PodSpecChecks checks;

    PodSpecVolumes(PodSpecChecks checks) {
        this.checks = checks;
    }

    /** A hostPath volume of the pod and its position. */
    private record HostPath(int index, Map<String, Object> volume, String path) {
    }

    void check(Pod pod) {
        RenderedObject o = pod.object();
        Map<String, HostPath> byName = new HashMap<>();
        List<Map<String, Object>> volumes = ManifestValues.maps(pod.spec(), "volumes");
        for (int i = 0; i < volumes.size(); i++) {
            Map<String, Object> v = volumes.get(i);
            if (!ManifestValues.isMap(v, "hostPath")) {
                continue;
            }
            String name = ManifestValues.string(v, "name");
            String path = ManifestValues.string(v, "hostPath", "path");
            checks.report(HOST_PATH, o, null, pod.path() + ".volumes[" + i + "].hostPath", o.line(v, "hostPath"),
                    pod.display() + " has the hostPath volume '" + name + "' (" + path + "): the pod depends on"
                            + " that node's files and reaches outside its sandbox",
                    "Use an emptyDir, a ConfigMap/Secret, a CSI or persistent volume instead of hostPath.");
            if (name != null && path != null && checks.judgeable(path)) {
                byName.put(name, new HostPath(i, v, normalise(path)));
            }
        }
        if (byName.isEmpty()) {
            return;
        }
        for (Container c : pod.containers()) {
            List<Map<String, Object>> mounts = ManifestValues.maps(c.spec(), "volumeMounts");
            for (int k = 0; k < mounts.size(); k++) {
                HostPath host = byName.get(ManifestValues.string(mounts.get(k), "name"));
                if (host != null) {
                    checkMount(c, host, mounts.get(k), k);
                }
            }
        }
    }

    private void checkMount(Container c, HostPath host, Map<String, Object> mount, int k) {
        RenderedObject o = c.pod().object();
        String field = c.pod().path() + ".volumes[" + host.index() + "].hostPath.path";
        int line = PodSpecChecks.line(o, host.volume(), "hostPath", "path");
        String path = host.path();
        if (SOCKETS.stream().anyMatch(s -> path.endsWith("/" + s)) || SOCKET_FOLDERS.contains(path)) {
            checks.report(RUNTIME_SOCKET, o, c, field, line,
                    c.subject() + " mounts " + path + " from the node: with the container runtime's socket it can"
                            + " start privileged containers, i.e. own the node",
                    "Do not mount the runtime socket; build images with a daemonless builder (kaniko, buildah) and"
                            + " read container data through the Kubernetes API.");
        } else if (SYSTEM_FOLDERS.contains(path)) {
            checks.report(SENSITIVE, o, c, field, line,
                    c.subject() + " mounts the node's " + path + ": it can read (or change) the node's system"
                            + " files",
                    "Mount only the narrow node path the process needs, read-only, or drop the hostPath volume.");
        }
        if (!ManifestValues.bool(mount, "readOnly").orElse(false) && checks.judgeable(mount.get("readOnly"))) {
            String at = c.path() + ".volumeMounts[" + k + "].readOnly";
            checks.report(READ_ONLY, o, c, at, o.line(mount, "readOnly"),
                    c.subject() + " mounts the node's " + path + " writable: what it writes there outlives the pod"
                            + " and is seen by the node",
                    "Set readOnly: true on the volumeMount.");
        }
    }

    /** Trailing slashes do not change the folder: {@code /etc/} is {@code /etc}. */
    private static String normalise(String path) {
        String p = path.strip();
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }
}
