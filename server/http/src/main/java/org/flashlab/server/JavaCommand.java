package org.flashlab.server;

import java.util.ArrayList;
import java.util.List;

/**
 * The command line that runs one of the kit's main classes in a new JVM: this JVM's own java, its
 * classpath, and native access (the page cache and the load generator call the C library through
 * FFM). The grader starts the reference server, the load generator and students' servers this way;
 * the reference server starts its workers and helpers this way too.
 */
public final class JavaCommand {
    private JavaCommand() {}

    /** {@code java --enable-native-access=ALL-UNNAMED -cp <this classpath> mainClass args...} */
    public static List<String> of(String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    /** True when {@code mainClass} is on this JVM's classpath, so that {@link #of} can run it. */
    public static boolean available(String mainClass) {
        try {
            Class.forName(mainClass, false, JavaCommand.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
