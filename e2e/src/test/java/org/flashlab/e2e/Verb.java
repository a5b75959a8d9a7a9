package org.flashlab.e2e;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test that runs the named verb through the real ./flashlab script. {@link ReadmeVerbsTest}
 * fails when a verb that the README or `./flashlab help` shows has no test marked with it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface Verb {
    /** The verb, or verbs: a test may run more than one (roster, then merge). */
    String[] value();
}
