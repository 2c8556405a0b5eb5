package io.asyncsidecar.controlplane.plugins.helm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.plugins.helm.PodSpecChecks.Container;
import io.asyncsidecar.controlplane.plugins.helm.PodSpecChecks.Pod;
import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.Severity;

/**
 * Pod and container security: privileged containers, the node's namespaces, Windows HostProcess, capabilities,
 * procMount, sysctls, seccomp, Linux hardening and user ids.
 */
final class PodSpecSecurity {

    static final CheckRule PRIVILEGED = new CheckRule("helm.privileged", Severity.ERROR,
            "No container runs privileged (securityContext.privileged: true).");
    static final CheckRule HOST_NETWORK = new CheckRule("helm.host-network", Severity.ERROR,
            "No pod shares the node's network namespace (hostNetwork: true).");
    static final CheckRule HOST_PID = new CheckRule("helm.host-pid", Severity.ERROR,
            "No pod shares the node's process namespace (hostPID: true).");
    static final CheckRule HOST_IPC = new CheckRule("helm.host-ipc", Severity.ERROR,
            "No pod shares the node's IPC namespace (hostIPC: true).");
    static final CheckRule HOST_PROCESS = new CheckRule("helm.host-process", Severity.ERROR,
            "No pod or container runs as a Windows HostProcess (securityContext.windowsOptions.hostProcess: true).");
    static final CheckRule DROP_ALL = new CheckRule("helm.capabilities-drop-all", Severity.WARNING,
            "Containers drop ALL Linux capabilities (or every one of Polaris' insecure list).");
    static final CheckRule NET_RAW = new CheckRule("helm.capabilities-net-raw", Severity.WARNING,
            "No container adds the NET_RAW capability back.");
    static final CheckRule ADD_DANGEROUS = new CheckRule("helm.capabilities-add-dangerous", Severity.ERROR,
            "No container adds the capabilities ALL, SYS_ADMIN or NET_ADMIN.");
    static final CheckRule PROC_MOUNT = new CheckRule("helm.proc-mount", Severity.WARNING,
            "No container sets securityContext.procMount other than Default.");
    static final CheckRule UNSAFE_SYSCTLS = new CheckRule("helm.unsafe-sysctls", Severity.WARNING,
            "Pods set only sysctls of Kubernetes' safe set.");
    static final CheckRule SECCOMP = new CheckRule("helm.seccomp-profile", Severity.INFO,
            "Every container runs with a seccomp profile of type RuntimeDefault or Localhost (its own or the pod's).");
    static final CheckRule LINUX_HARDENING = new CheckRule("helm.linux-hardening", Severity.WARNING,
            "Every container uses a Linux hardening mechanism: seccomp, AppArmor, SELinux options or dropped"
                    + " capabilities.");
    static final CheckRule HIGH_IDS = new CheckRule("helm.run-as-high-uid-gid", Severity.WARNING,
            "Containers run with a user id and a group id of 10000 or more (runAsUser, runAsGroup).");

    static final List<CheckRule> RULES = List.of(PRIVILEGED, HOST_NETWORK, HOST_PID, HOST_IPC, HOST_PROCESS,
            DROP_ALL, NET_RAW, ADD_DANGEROUS, PROC_MOUNT, UNSAFE_SYSCTLS, SECCOMP, LINUX_HARDENING, HIGH_IDS);

    /** Polaris' insecureCapabilities: dropping every one of these counts as dropping ALL. */
    private static final List<String> INSECURE = List.of("NET_ADMIN", "CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER",
            "MKNOD", "NET_RAW", "SETGID", "SETUID", "SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL",
            "AUDIT_WRITE");
    /** Polaris' dangerousCapabilities. */
    private static final List<String> DANGEROUS = List.of("ALL", "SYS_ADMIN", "NET_ADMIN");
    /**
     * The sysctls the kubelet allows without --allowed-unsafe-sysctls (Kubernetes "Using sysctls in a Kubernetes
     * Cluster", up to 1.32); any other fails the pod at start unless the node allows it.
     */
    private static final Set<String> SAFE_SYSCTLS = Set.of("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
            "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start",
            "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
            "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes", "net.ipv4.tcp_rmem",
            "net.ipv4.tcp_wmem");
    private static final Set<String> GOOD_SECCOMP = Set.of("RuntimeDefault", "Localhost");
    private static final long HIGH_ID = 10000;

    private final PodSpecChecks checks;

    PodSpecSecurity(PodSpecChecks checks) {
        this.checks = checks;
    }

    /** The pod-level rules. */
    void check(Pod pod) {
        RenderedObject o = pod.object();
        for (CheckRule rule : List.of(HOST_NETWORK, HOST_PID, HOST_IPC)) {
            String field = rule == HOST_NETWORK ? "hostNetwork" : rule == HOST_PID ? "hostPID" : "hostIPC";
            if (ManifestValues.bool(pod.spec(), field).orElse(false)) {
                checks.report(rule, o, null, pod.path() + "." + field, o.line(pod.spec(), field),
                        pod.display() + " sets " + field + ": true: its containers see and reach the node's "
                                + namespaceOf(field) + ", a step away from the node itself",
                        "Remove " + field + " (or set it to false); run node agents that need it in a separate,"
                                + " reviewed chart.");
            }
        }
        if (ManifestValues.bool(pod.security(), "windowsOptions", "hostProcess").orElse(false)) {
            checks.report(HOST_PROCESS, o, null, pod.path() + ".securityContext.windowsOptions.hostProcess",
                    PodSpecChecks.line(o, pod.security(), "windowsOptions", "hostProcess"),
                    pod.display() + " runs its containers as Windows HostProcess containers: they run on the node"
                            + " with the node's network and file system",
                    "Remove securityContext.windowsOptions.hostProcess unless the workload is a reviewed node agent.");
        }
        List<Map<String, Object>> sysctls = ManifestValues.maps(pod.security(), "sysctls");
        for (int i = 0; i < sysctls.size(); i++) {
            String name = ManifestValues.string(sysctls.get(i), "name");
            if (name == null || !checks.judgeable(name) || SAFE_SYSCTLS.contains(canonicalSysctl(name))) {
                continue;
            }
            checks.report(UNSAFE_SYSCTLS, o, null, pod.path() + ".securityContext.sysctls[" + i + "].name",
                    o.line(sysctls.get(i), "name"),
                    pod.display() + " sets the sysctl '" + name + "', which is not in Kubernetes' safe set: the"
                            + " kubelet refuses to start the pod unless the node allows it, and it may affect other"
                            + " pods on the node",
                    "Drop the sysctl, or tune it on the nodes (or allow it with the kubelet's"
                            + " --allowed-unsafe-sysctls on a dedicated pool) instead.");
        }
    }

    /** The container-level rules. */
    void check(Container c) {
        RenderedObject o = c.pod().object();
        Map<String, Object> security = c.security();
        String at = c.path() + ".securityContext";
        if (ManifestValues.bool(security, "privileged").orElse(false)) {
            checks.report(PRIVILEGED, o, c, at + ".privileged", o.line(security, "privileged"),
                    c.subject() + " runs privileged: it has every capability and the node's devices",
                    "Remove privileged: true; grant only the capabilities the process needs.");
        }
        if (ManifestValues.bool(security, "windowsOptions", "hostProcess").orElse(false)) {
            checks.report(HOST_PROCESS, o, c, at + ".windowsOptions.hostProcess",
                    PodSpecChecks.line(o, security, "windowsOptions", "hostProcess"),
                    c.subject() + " runs as a Windows HostProcess container, on the node with its network and"
                            + " file system",
                    "Remove securityContext.windowsOptions.hostProcess unless the workload is a reviewed node agent.");
        }
        checkCapabilities(c, security, at);
        String procMount = ManifestValues.string(security, "procMount");
        if (procMount != null && !"Default".equals(procMount) && checks.judgeable(procMount)) {
            checks.report(PROC_MOUNT, o, c, at + ".procMount", o.line(security, "procMount"),
                    c.subject() + " sets procMount: " + procMount + ": the node's /proc paths the runtime masks"
                            + " become visible to it",
                    "Remove procMount (Default masks /proc as Kubernetes intends).");
        }
        checkSeccomp(c, security, at);
        checkHardening(c, security, at);
        checkIds(c, security, at);
    }

    private void checkCapabilities(Container c, Map<String, Object> security, String at) {
        RenderedObject o = c.pod().object();
        Map<String, Object> caps = ManifestValues.map(security, "capabilities");
        List<String> drop = PodSpecChecks.upper(ManifestValues.list(caps, "drop")).stream()
                .map(PodSpecSecurity::bare).toList();
        List<String> add = PodSpecChecks.upper(ManifestValues.list(caps, "add")).stream()
                .map(PodSpecSecurity::bare).toList();
        boolean dropsAll = drop.contains("ALL") || drop.containsAll(INSECURE);
        if (!dropsAll && checks.judgeable(drop) && !checks.mayBeGenerated(c.pod(), c.spec(), "capabilities")) {
            checks.report(DROP_ALL, o, c, at + ".capabilities.drop",
                    PodSpecChecks.line(o, c.spec(), "securityContext", "capabilities", "drop"),
                    c.subject() + (drop.isEmpty() ? " drops no capabilities" : " drops only " + drop)
                            + ": it keeps the runtime's default set (CHOWN, SETUID, NET_RAW...)",
                    "Set securityContext.capabilities.drop: [ALL] and add back only what the process needs"
                            + " (e.g. NET_BIND_SERVICE).");
        }
        List<String> dangerous = add.stream().filter(DANGEROUS::contains).toList();
        if (!dangerous.isEmpty()) {
            checks.report(ADD_DANGEROUS, o, c, at + ".capabilities.add", o.line(caps, "add"),
                    c.subject() + " adds the capabilities " + dangerous + ", which give it control of the node's"
                            + " kernel or network",
                    "Remove " + dangerous + " from capabilities.add.");
        }
        if (add.contains("NET_RAW")) {
            checks.report(NET_RAW, o, c, at + ".capabilities.add", o.line(caps, "add"),
                    c.subject() + " adds NET_RAW: it can craft raw packets and spoof traffic on the pod network",
                    "Remove NET_RAW from capabilities.add (ping works without it on current kernels).");
        }
    }

    private void checkSeccomp(Container c, Map<String, Object> security, String at) {
        Pod pod = c.pod();
        String own = ManifestValues.string(security, "seccompProfile", "type");
        String podType = ManifestValues.string(pod.security(), "seccompProfile", "type");
        String effective = own != null ? own : podType;
        if (effective != null ? GOOD_SECCOMP.contains(effective) || !checks.judgeable(effective)
                : checks.mayBeGenerated(pod, pod.spec(), "seccompProfile")) {
            return;
        }
        RenderedObject o = pod.object();
        boolean ownField = own != null;
        checks.report(SECCOMP, o, c, ownField ? at + ".seccompProfile.type"
                        : pod.path() + ".securityContext.seccompProfile.type",
                ownField ? PodSpecChecks.line(o, security, "seccompProfile", "type")
                        : PodSpecChecks.line(o, pod.spec(), "securityContext", "seccompProfile", "type"),
                c.subject() + (effective == null ? " runs without a seccomp profile (neither it nor its pod sets"
                        + " securityContext.seccompProfile)" : " runs with seccomp profile " + effective)
                        + ": every system call is open to it",
                "Set securityContext.seccompProfile.type: RuntimeDefault in the pod (or Localhost with a"
                        + " reviewed profile).");
    }

    /** Polaris' linuxHardening: any one mechanism passes. */
    private void checkHardening(Container c, Map<String, Object> security, String at) {
        Pod pod = c.pod();
        Map<String, Object> podSecurity = pod.security();
        String seccomp = Optional.ofNullable(ManifestValues.string(security, "seccompProfile", "type"))
                .orElse(ManifestValues.string(podSecurity, "seccompProfile", "type"));
        String appArmor = Optional.ofNullable(ManifestValues.string(security, "appArmorProfile", "type"))
                .orElse(ManifestValues.string(podSecurity, "appArmorProfile", "type"));
        Map<String, Object> annotations = ManifestValues.map(pod.workload().podTemplate(), "metadata", "annotations");
        boolean hardened = (seccomp != null && !"Unconfined".equals(seccomp))
                || (appArmor != null && !"Unconfined".equals(appArmor))
                || annotations.containsKey("container.apparmor.security.beta.kubernetes.io/" + c.name())
                || !ManifestValues.map(security, "seLinuxOptions").isEmpty()
                || !ManifestValues.map(podSecurity, "seLinuxOptions").isEmpty()
                || (!ManifestValues.list(security, "capabilities", "drop").isEmpty()
                        && !PodSpecChecks.upper(ManifestValues.list(security, "capabilities", "add")).contains("ALL"));
        if (hardened || checks.mayBeGenerated(pod, pod.workload().podTemplate(), "securityContext")) {
            return;
        }
        RenderedObject o = pod.object();
        checks.report(LINUX_HARDENING, o, c, at, PodSpecChecks.line(o, c.spec(), "securityContext"),
                c.subject() + " uses no Linux hardening: no seccomp or AppArmor profile, no SELinux options, no"
                        + " dropped capabilities",
                "Set a seccompProfile (RuntimeDefault) and drop capabilities (drop: [ALL]).");
    }

    /** kube-score's container-security-context-user-group-id: ids below 10000 may collide with the node's users. */
    private void checkIds(Container c, Map<String, Object> security, String at) {
        Pod pod = c.pod();
        List<String> low = new ArrayList<>();
        String field = null;
        for (String key : List.of("runAsUser", "runAsGroup")) {
            Object value = security.containsKey(key) ? security.get(key) : pod.security().get(key);
            if (value == null) {
                if (checks.mayBeGenerated(pod, pod.spec(), key)) {
                    return;
                }
                low.add(key + " unset");
            } else if (!checks.judgeable(value)) {
                return;
            } else {
                Optional<Long> id = ManifestValues.integer(value);
                if (id.isEmpty() || id.get() < HIGH_ID) {
                    low.add(key + " " + value);
                } else {
                    continue;
                }
            }
            if (field == null) {
                field = security.containsKey(key) ? at + "." + key : pod.path() + ".securityContext." + key;
            }
        }
        if (low.isEmpty()) {
            return;
        }
        RenderedObject o = pod.object();
        String firstKey = field.substring(field.lastIndexOf('.') + 1);
        int line = security.containsKey(firstKey) ? o.line(security, firstKey)
                : PodSpecChecks.line(o, pod.spec(), "securityContext", firstKey);
        checks.report(HIGH_IDS, o, c, field, line,
                c.subject() + " runs with " + String.join(" and ", low) + ": ids below " + HIGH_ID
                        + " may be those of users of the node, which a container escape would then act as",
                "Set runAsUser and runAsGroup to " + HIGH_ID + " or more (in the pod or container securityContext).");
    }

    private static String namespaceOf(String field) {
        return switch (field) {
            case "hostNetwork" -> "network interfaces";
            case "hostPID" -> "processes";
            default -> "shared memory and IPC";
        };
    }

    /** {@code CAP_SYS_ADMIN} and {@code SYS_ADMIN} name the same capability. */
    private static String bare(String capability) {
        return capability.startsWith("CAP_") ? capability.substring(4) : capability;
    }

    /** sysctl.d(5): a name whose first separator is a slash uses slashes for dots (and dots for slashes). */
    static String canonicalSysctl(String name) {
        int dot = name.indexOf('.');
        int slash = name.indexOf('/');
        if (slash < 0 || (dot >= 0 && dot < slash)) {
            return name;
        }
        StringBuilder b = new StringBuilder(name.length());
        for (char ch : name.toCharArray()) {
            b.append(ch == '/' ? '.' : ch == '.' ? '/' : ch);
        }
        return b.toString();
    }
}
