package org.flashlab.grader.grading.cheat;

import org.flashlab.reference.sped.SpedServer;
import org.flashlab.server.ServerConfig;

/** A "submission" whose server is the reference's, under another name: the integrity check's quarry. */
public final class UsesReference {
    private UsesReference() {}

    public static Object server(ServerConfig config) throws java.io.IOException {
        return new SpedServer(config);
    }
}
