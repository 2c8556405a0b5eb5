package io.asyncsidecar.controlplane.plugins.helm;

import java.nio.file.Path;
import java.util.List;

/**
 * What every group of chart checks looks at: the chart's objects and how they were obtained.
 *
 * @param objects     the rendered (or textually read) objects
 * @param kubeVersion the Kubernetes version the chart was rendered for
 * @param textual     true when no Helm engine rendered them (a textual reading of the raw templates)
 * @param workspace   the workspace root
 * @param chartDir    the chart folder (absolute, inside the workspace)
 */
record ChartUnderCheck(List<RenderedObject> objects, String kubeVersion, boolean textual, Path workspace,
                       Path chartDir) {

    ChartUnderCheck {
        objects = List.copyOf(objects);
    }
}
