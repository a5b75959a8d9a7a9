package org.flashlab.grader;

/** What every HTML report the grader writes (experiments, grades, a class) needs: escaping text. */
public final class Html {
    private Html() {}

    /** Text made safe inside an element or a quoted attribute. */
    public static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
