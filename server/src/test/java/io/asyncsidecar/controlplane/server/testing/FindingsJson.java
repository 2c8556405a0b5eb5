package io.asyncsidecar.controlplane.server.testing;

import java.io.StringReader;
import java.util.List;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

/**
 * Reading check plugins' JSON answers in tests: findings by object name and check id.
 */
public final class FindingsJson {

    private FindingsJson() {
    }

    /**
     * Parses a JSON object.
     *
     * @param json the text
     * @return the object
     */
    public static JsonObject parse(String json) {
        return Json.createReader(new StringReader(json)).readObject();
    }

    /**
     * Check ids of the findings about objects with this name, in order.
     *
     * @param findings   the findings array
     * @param objectName {@code object.name}
     * @return the check ids
     */
    public static List<String> checksOf(JsonArray findings, String objectName) {
        return findings.getValuesAs(JsonObject.class).stream()
                .filter(f -> f.get("object") instanceof JsonObject o && objectName.equals(o.getString("name", null)))
                .map(f -> f.getString("check")).toList();
    }

    /**
     * Messages of the findings with this check about objects with this name.
     *
     * @param findings   the findings array
     * @param objectName {@code object.name}
     * @param check      the check id
     * @return the messages
     */
    public static List<String> messages(JsonArray findings, String objectName, String check) {
        return findings.getValuesAs(JsonObject.class).stream()
                .filter(f -> f.getString("check").equals(check))
                .filter(f -> f.get("object") instanceof JsonObject o && objectName.equals(o.getString("name", null)))
                .map(f -> f.getString("message")).toList();
    }

    /**
     * The first finding with this check about an object with this name.
     *
     * @param findings   the findings array
     * @param objectName {@code object.name}
     * @param check      the check id
     * @return the finding
     * @throws AssertionError when there is none
     */
    public static JsonObject finding(JsonArray findings, String objectName, String check) {
        return findings.getValuesAs(JsonObject.class).stream()
                .filter(f -> f.getString("check").equals(check))
                .filter(f -> f.get("object") instanceof JsonObject o && objectName.equals(o.getString("name", null)))
                .findFirst().orElseThrow(() -> new AssertionError("no " + check + " on " + objectName + " in " + findings));
    }

    /**
     * The item with this {@code name}.
     *
     * @param items an array of objects with a {@code name}
     * @param name  the name
     * @return the item
     * @throws AssertionError when there is none
     */
    public static JsonObject named(JsonArray items, String name) {
        return items.getValuesAs(JsonObject.class).stream().filter(o -> name.equals(o.getString("name", null)))
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + " in " + items));
    }
}
