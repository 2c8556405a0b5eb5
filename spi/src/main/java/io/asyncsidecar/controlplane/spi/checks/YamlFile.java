package io.asyncsidecar.controlplane.spi.checks;

import java.util.List;

/**
 * The result of loading a YAML file: the documents read, and the problem that stopped reading, if any.
 * Documents before a parse error are kept, so checks still run on what could be read.
 *
 * @param file      the file, relative to the workspace
 * @param documents the documents read (empty documents skipped)
 * @param error     the parse or limit problem as a finding ({@code yaml.parse} or {@code yaml.limit}), or null
 */
public record YamlFile(String file, List<YamlDocument> documents, Finding error) {

    /**
     * Copies the list.
     *
     * @param file      the file
     * @param documents the documents
     * @param error     the problem or null
     */
    public YamlFile {
        documents = List.copyOf(documents);
    }

    /** @return true when the whole file was read */
    public boolean ok() {
        return error == null;
    }
}
