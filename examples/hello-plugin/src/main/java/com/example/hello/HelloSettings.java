package com.example.hello;

import io.helidon.config.Config;

/**
 * The hello plugin's config, {@code plugins.hello}: {@code greeting} (default {@code Hello}), at most 80 characters.
 *
 * @param greeting the word the caller is greeted with
 */
public record HelloSettings(String greeting) {

    /** The greeting when none is configured. */
    public static final String DEFAULT_GREETING = "Hello";

    /**
     * @param greeting the greeting, not blank, at most 80 characters
     */
    public HelloSettings {
        if (greeting == null || greeting.isBlank() || greeting.length() > 80) {
            throw new IllegalArgumentException("plugins.hello.greeting must be 1 to 80 characters, got '" + greeting + "'");
        }
    }

    /**
     * @param config the plugin's config subtree ({@code plugins.hello}), possibly missing
     * @return the settings, with defaults for what is not set
     */
    public static HelloSettings from(Config config) {
        return new HelloSettings(config.get("greeting").asString().orElse(DEFAULT_GREETING));
    }
}
