package org.flashlab.grader.load;

import java.util.List;
import java.util.Objects;

/**
 * What a run asks for: a list of paths, each with its correct body, and the order to ask for them
 * in (a trace, or a replayed log). Connections take the next entry of the order in turn, so the
 * server sees the trace's mix of files; the order wraps around when the run outlasts it.
 *
 * @param paths    request targets, such as "/d3/f00042.bin"
 * @param expected the correct body for each path, same index
 * @param order    indices into {@code paths}, in request order
 */
public record RequestMix(List<String> paths, List<Expected> expected, int[] order) {

    public RequestMix {
        paths = List.copyOf(paths);
        expected = List.copyOf(expected);
        Objects.requireNonNull(order, "order");
        if (paths.isEmpty() || paths.size() != expected.size()) {
            throw new IllegalArgumentException("need one expected body per path, and at least one path");
        }
        if (order.length == 0) {
            throw new IllegalArgumentException("the request order is empty");
        }
        for (int i : order) {
            if (i < 0 || i >= paths.size()) {
                throw new IllegalArgumentException("request order names path " + i + " of " + paths.size());
            }
        }
        for (String p : paths) {
            if (!p.startsWith("/") || p.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
                throw new IllegalArgumentException("not a request target: " + p);
            }
        }
    }

    /** One path asked for over and over. */
    public static RequestMix single(String path, Expected expected) {
        return new RequestMix(List.of(path), List.of(expected), new int[] {0});
    }

    /** The same requests for the same files, found under {@code prefix} ("/p3") on the server. */
    public RequestMix under(String prefix) {
        return new RequestMix(paths.stream().map(p -> prefix + p).toList(), expected, order);
    }
}
