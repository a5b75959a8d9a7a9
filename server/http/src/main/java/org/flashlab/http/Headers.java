package org.flashlab.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A request's header fields in arrival order. Names are stored lower-cased because field names are
 * case-insensitive (RFC 9110 section 5.1). A list, not a map: repeated fields such as two
 * Content-Length lines must stay visible so that conflicts can be refused.
 */
public final class Headers {
    private final List<String> names = new ArrayList<>();
    private final List<String> values = new ArrayList<>();

    void add(String lowerName, String value) {
        names.add(lowerName);
        values.add(value);
    }

    /** The first value of the named field, or null when it is absent. */
    public String get(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equals(key)) {
                return values.get(i);
            }
        }
        return null;
    }

    /** Every value of the named field, in order. */
    public List<String> all(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        List<String> out = new ArrayList<>(1);
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equals(key)) {
                out.add(values.get(i));
            }
        }
        return out;
    }

    /** True when a comma-separated field (such as Connection) lists the token, ignoring case. */
    public boolean hasToken(String name, String token) {
        for (String value : all(name)) {
            for (String part : value.split(",")) {
                if (part.strip().equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    public int size() {
        return names.size();
    }
}
