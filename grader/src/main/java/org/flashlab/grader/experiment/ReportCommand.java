package org.flashlab.grader.experiment;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.flashlab.cli.Cli;
import org.flashlab.cli.ExitCode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code flashlab report DIR}: the reports again, from saved results, without measuring anything. */
@Command(name = "flashlab report", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "Writes report.html, results.json, results.csv and summary.md from the results an experiment "
                + "saved in DIR, without running anything.",
        footer = "Exit status: 0 when the reports were written, 2 when DIR holds no results.")
public final class ReportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "A folder that ./flashlab experiment wrote.")
    Path dir;

    @Override
    public Integer call() throws Exception {
        Path html;
        try {
            html = Report.write(dir, Report.title(dir));
        } catch (IllegalArgumentException e) {
            throw Cli.usage(e.getMessage());
        }
        ExperimentCommand.printConclusions(dir, System.out);
        System.out.println("flashlab report: " + html);
        return ExitCode.OK.code();
    }

    public static void main(String[] args) {
        System.exit(Cli.execute(new ReportCommand(), args));
    }
}
