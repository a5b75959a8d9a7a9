package org.flashlab.grader;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.flashlab.contract.ServerContract;
import org.flashlab.contract.ServerProcess;
import org.flashlab.contract.ServerUnderTest;
import org.flashlab.server.ServerConfig;

/**
 * The contract suite against a server started from a command line. The command's words may contain
 * {port}, {docroot} and {idle} (seconds), filled in from the configuration the suite wants.
 *
 * The command is a static field because JUnit instantiates this class itself; {@link ContractCheck}
 * sets it before each run and runs one suite at a time.
 */
public class CommandLineServerContract extends ServerContract {
    static volatile List<String> command = List.of();
    static volatile Path workingDirectory;
    static volatile Duration readyTimeout = Duration.ofSeconds(60);

    @Override
    protected ServerUnderTest start(ServerConfig config) {
        if (command.isEmpty()) {
            throw new IllegalStateException("no server command set; run this through ContractCheck");
        }
        List<String> words = new ArrayList<>();
        for (String word : command) {
            words.add(word.replace("{port}", Integer.toString(config.port()))
                    .replace("{docroot}", config.docroot().toString())
                    .replace("{idle}", Long.toString(config.idleTimeout().toSeconds())));
        }
        return ServerProcess.start(words, workingDirectory, readyTimeout);
    }
}
