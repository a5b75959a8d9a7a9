package org.flashlab.grader.lessons;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Reads PIT's mutations.xml of each solution and prints one line per lesson: how many planted bugs
 * (mutants) the lesson's tests caught. Two scores, as PIT reports them: of every mutant, and of the
 * mutants in code the tests run at all ("test strength": the code PIT can reach).
 */
public final class MutationScores {
    private MutationScores() {}

    /** One lesson's counts. A timed-out mutant counts as caught: the tests noticed that something hangs. */
    public record Score(String lesson, int mutants, int killed, int survived, int noCoverage) {
        public double score() {
            return mutants == 0 ? Double.NaN : 100.0 * killed / mutants;
        }

        public double strength() {
            int covered = mutants - noCoverage;
            return covered == 0 ? Double.NaN : 100.0 * killed / covered;
        }
    }

    /** Counts the mutants in one mutations.xml. */
    public static Score read(String lesson, Path mutationsXml) throws IOException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            NodeList mutations = f.newDocumentBuilder().parse(mutationsXml.toFile()).getElementsByTagName("mutation");
            int killed = 0;
            int survived = 0;
            int noCoverage = 0;
            for (int i = 0; i < mutations.getLength(); i++) {
                switch (((Element) mutations.item(i)).getAttribute("status")) {
                    // As PIT counts them: every status but these three means the tests noticed.
                    case "SURVIVED", "NOT_STARTED", "STARTED" -> survived++;
                    case "NO_COVERAGE" -> noCoverage++;
                    default -> killed++; // KILLED, TIMED_OUT, MEMORY_ERROR, RUN_ERROR, NON_VIABLE
                }
            }
            return new Score(lesson, mutations.getLength(), killed, survived, noCoverage);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("cannot read " + mutationsXml + ": " + e.getMessage(), e);
        }
    }

    /** Prints the table for every lesson with a solution; a lesson without a report says so. */
    public static boolean print(List<Lesson> lessons, PrintStream out) throws IOException {
        out.printf(Locale.ROOT, "%-12s %8s %7s %9s %12s %7s %16s%n", "lesson", "mutants", "killed", "survived",
                "not covered", "score", "of reachable");
        boolean all = true;
        for (Lesson l : lessons) {
            if (!l.hasSolution()) {
                continue;
            }
            if (!Files.isDirectory(l.solution().resolve("src/main/java"))) {
                out.printf(Locale.ROOT, "%-12s no code to mutate%n", l.name());
                continue;
            }
            Path xml = l.solution().resolve("target/pit-reports/mutations.xml");
            if (!Files.exists(xml)) {
                out.printf(Locale.ROOT, "%-12s no report (%s)%n", l.name(), xml);
                all = false;
                continue;
            }
            Score s = read(l.name(), xml);
            out.printf(Locale.ROOT, "%-12s %8d %7d %9d %12d %6.0f%% %15.0f%%%n", s.lesson(), s.mutants(), s.killed(),
                    s.survived(), s.noCoverage(), s.score(), s.strength());
        }
        out.println("reports: solutions/NN-name/target/pit-reports/index.html");
        return all;
    }
}
