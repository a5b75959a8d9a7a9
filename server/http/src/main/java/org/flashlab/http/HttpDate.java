package org.flashlab.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;

/**
 * IMF-fixdate formatting and parsing (RFC 9110 section 5.6.7). The Date header changes once a second,
 * so {@link #now()} formats at most once a second and every other request reuses the string.
 */
public final class HttpDate {
    // IMF-fixdate has a two-digit day ("Fri, 01 Mar 2024"); the JDK's RFC_1123_DATE_TIME prints
    // "Fri, 1 Mar 2024", which RFC 9110 does not allow a sender to generate.
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    /**
     * What a recipient must accept (RFC 9110 section 5.6.7): IMF-fixdate, the obsolete RFC 850 form
     * ("Sunday, 06-Nov-94 08:49:37 GMT") and C's asctime() form ("Sun Nov  6 08:49:37 1994").
     */
    private static final List<DateTimeFormatter> ACCEPTED = List.of(
            DateTimeFormatter.RFC_1123_DATE_TIME,
            new DateTimeFormatterBuilder().appendPattern("EEEE, dd-MMM-")
                    .appendValueReduced(ChronoField.YEAR, 2, 2, 1970)
                    .appendPattern(" HH:mm:ss 'GMT'").toFormatter(Locale.US).withZone(ZoneOffset.UTC),
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US).withZone(ZoneOffset.UTC));

    /** The last formatted second. One immutable object, so readers on any thread see a matching pair. */
    private record Stamp(long epochSecond, String text) {}

    private static volatile Stamp current = new Stamp(Long.MIN_VALUE, "");

    private HttpDate() {}

    /** The current time as an HTTP date, formatted at most once per second. */
    public static String now() {
        long second = System.currentTimeMillis() / 1000;
        Stamp stamp = current;
        if (stamp.epochSecond() != second) {
            stamp = new Stamp(second, format(second));
            current = stamp; // a race only formats the same second twice
        }
        return stamp.text();
    }

    /** Formats seconds since the epoch, for example "Sun, 06 Nov 1994 08:49:37 GMT". */
    public static String format(long epochSecond) {
        return FORMAT.format(Instant.ofEpochSecond(epochSecond));
    }

    /**
     * Parses an HTTP date to seconds since the epoch, or returns -1 when it cannot be read. An
     * unreadable If-Modified-Since is ignored, not an error (RFC 9110 section 13.1.3).
     */
    public static long parse(String text) {
        if (text == null) {
            return -1;
        }
        for (DateTimeFormatter format : ACCEPTED) {
            try {
                return ZonedDateTime.parse(text.strip(), format).toEpochSecond();
            } catch (DateTimeParseException e) {
                // not this format; try the next
            }
        }
        return -1;
    }
}
