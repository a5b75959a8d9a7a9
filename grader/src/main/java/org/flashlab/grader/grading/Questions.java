package org.flashlab.grader.grading;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A lesson README's questions ("## Questions", a numbered list) and a student's answers to them, in
 * ANSWERS.md beside the README: a heading per answer ("## 1", or "## Question 1"), or a numbered list
 * like the questions'. The grader marks none of it; it collects both for the instructor.
 */
public final class Questions {
    public static final String ANSWERS = "ANSWERS.md";
    private static final Pattern ITEM = Pattern.compile("^(\\d+)\\.\\s+(.*)$");
    private static final Pattern HEADING = Pattern.compile("^#{1,4}\\s*(?:Question\\s*)?(\\d+)\\b[.:)]?\\s*(.*)$",
            Pattern.CASE_INSENSITIVE);

    private Questions() {}

    /** The README's questions, by number. */
    public static Map<Integer, String> of(Path readme) throws IOException {
        Map<Integer, String> questions = new LinkedHashMap<>();
        if (!Files.isRegularFile(readme)) {
            return questions;
        }
        boolean in = false;
        Integer current = null;
        for (String line : read(readme)) {
            if (line.startsWith("## ")) {
                in = line.strip().equalsIgnoreCase("## Questions");
                current = null;
                continue;
            }
            if (!in) {
                continue;
            }
            Matcher m = ITEM.matcher(line);
            if (m.matches()) {
                current = Integer.parseInt(m.group(1));
                questions.put(current, m.group(2).strip());
            } else if (current != null && line.startsWith("   ") && !line.isBlank()) {
                questions.merge(current, line.strip(), (a, b) -> a + " " + b);
            } else if (current != null && !line.isBlank()) {
                current = null; // the text after the list
            }
        }
        return questions;
    }

    /** The answers in a student's ANSWERS.md, by number; empty when there is no such file. */
    public static Map<Integer, String> answers(Path file) throws IOException {
        Map<Integer, String> answers = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return answers;
        }
        Integer current = null;
        StringBuilder text = new StringBuilder();
        List<String> lines = read(file);
        // With headings, only headings start an answer: a numbered list may be part of one.
        boolean headings = lines.stream().anyMatch(l -> HEADING.matcher(l).matches());
        for (String line : lines) {
            Matcher h = HEADING.matcher(line);
            Matcher i = ITEM.matcher(line);
            Integer next = h.matches() ? Integer.valueOf(h.group(1))
                    : !headings && i.matches() ? Integer.valueOf(i.group(1)) : null;
            if (next != null) {
                if (current != null) {
                    answers.put(current, text.toString().strip());
                }
                current = next;
                text.setLength(0);
                if (!headings && i.matches()) {
                    text.append(i.group(2)).append('\n');
                }
            } else if (current != null) {
                text.append(line).append('\n');
            }
        }
        if (current != null) {
            answers.put(current, text.toString().strip());
        }
        return answers;
    }

    /** A text file's lines, whatever its encoding: a student's file in Latin-1 is still read, not refused. */
    private static List<String> read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
    }

    /** Each question with its answer (empty when none). */
    public static List<Evidence.Answer> collect(Path readme, Path answersFile) throws IOException {
        Map<Integer, String> answers = answers(answersFile);
        List<Evidence.Answer> all = new ArrayList<>();
        of(readme).forEach((n, q) -> all.add(new Evidence.Answer(n, q, answers.getOrDefault(n, ""))));
        return all;
    }
}
