package org.flashlab.grader;

import java.util.List;

import org.flashlab.cli.Cli;
import org.flashlab.server.JavaCommand;

/**
 * The reference server, as the grader reaches it: a command, never a class it calls. The grader
 * compiles without the reference's sources (a student's export may carry it only as a compiled jar,
 * or not at all), so everything here is a name; a test checks the names against the server's own.
 */
public final class ReferenceServer {
    /** The reference server's entry point, run in a new JVM. */
    public static final String MAIN = "org.flashlab.reference.Main";

    /** Every model's command-line name, in the server's own order (ReferenceServerTest checks it). */
    public static final List<String> MODELS = List.of("iterative", "mp", "mt-per-connection", "mt-pool",
            "mt-dynamic", "vt", "sped", "nsped", "multi-reactor", "amted", "amped", "hybrid");

    private ReferenceServer() {}

    /**
     * {@code java ... org.flashlab.reference.Main --model MODEL args...}, after checking that the
     * model exists and that the reference server is here at all.
     *
     * @throws Cli.UserError naming the known models, or saying that this copy of the kit has no
     *                       reference server
     */
    public static List<String> command(String model, List<String> args) {
        checkModel(model);
        if (!JavaCommand.available(MAIN)) {
            throw Cli.failure("this copy of the kit has no reference server (it was exported without it); "
                    + "give your own server's command after --, or ask your instructor for the export with it");
        }
        List<String> command = JavaCommand.of(MAIN, List.of("--model", model));
        command.addAll(args);
        return command;
    }

    /** @throws Cli.UserError when {@code model} is not one of {@link #MODELS} */
    public static void checkModel(String model) {
        if (!MODELS.contains(model)) {
            throw Cli.usage("unknown model '" + model + "'; known: " + String.join(", ", MODELS));
        }
    }
}
