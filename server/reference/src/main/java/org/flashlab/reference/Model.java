package org.flashlab.reference;

import java.io.IOException;
import java.util.Arrays;

import org.flashlab.reference.iterative.IterativeServer;
import org.flashlab.server.Server;
import org.flashlab.server.ServerConfig;

/**
 * The concurrency models the reference server can run, each with the one-line summary that
 * `flashlab server --help` prints. Later models (MP, MT, SPED, AMPED...) are added here, one package each.
 */
public enum Model {
    ITERATIVE("iterative", "one connection at a time on one thread; the baseline every model improves on",
            IterativeServer::new);

    /** Builds a server of this model; start() is the caller's. */
    @FunctionalInterface
    interface Factory {
        Server create(ServerConfig config) throws IOException;
    }

    private final String cliName;
    private final String summary;
    private final Factory factory;

    Model(String cliName, String summary, Factory factory) {
        this.cliName = cliName;
        this.summary = summary;
        this.factory = factory;
    }

    public String cliName() {
        return cliName;
    }

    public String summary() {
        return summary;
    }

    public Server create(ServerConfig config) throws IOException {
        return factory.create(config);
    }

    /** Finds a model by its command-line name. */
    public static Model byName(String name) {
        return Arrays.stream(values()).filter(m -> m.cliName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown model '" + name + "'; known: "
                        + String.join(", ", Arrays.stream(values()).map(Model::cliName).toList())));
    }
}
