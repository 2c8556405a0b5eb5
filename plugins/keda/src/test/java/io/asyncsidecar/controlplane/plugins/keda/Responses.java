package io.asyncsidecar.controlplane.plugins.keda;

import java.io.StringReader;
import java.util.List;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

/**
 * Reading the plugin's JSON answers in tests: findings by object and check.
 */
final class Responses {

    private Responses() {
    }

    static JsonObject parse(String json) {
        return Json.createReader(new StringReader(json)).readObject();
    }

    /** Check ids of the findings about the object with this name, in order. */
    static List<String> checksOf(JsonArray findings, String objectName) {
        return findings.getValuesAs(JsonObject.class).stream()
                .filter(f -> f.get("object") instanceof JsonObject o && objectName.equals(o.getString("name", null)))
                .map(f -> f.getString("check")).toList();
    }

    static JsonObject finding(JsonArray findings, String objectName, String check) {
        return findings.getValuesAs(JsonObject.class).stream()
                .filter(f -> f.getString("check").equals(check))
                .filter(f -> f.get("object") instanceof JsonObject o && objectName.equals(o.getString("name", null)))
                .findFirst().orElseThrow(() -> new AssertionError("no " + check + " on " + objectName + " in " + findings));
    }

    static JsonObject named(JsonArray items, String name) {
        return items.getValuesAs(JsonObject.class).stream().filter(o -> name.equals(o.getString("name", null)))
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + " in " + items));
    }
}
