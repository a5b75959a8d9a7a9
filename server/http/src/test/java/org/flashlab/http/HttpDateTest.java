package org.flashlab.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HttpDateTest {
    @Test
    void formatsImfFixdateWithATwoDigitDay() {
        assertThat(HttpDate.format(784_111_777L)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT"); // RFC 9110's example
        assertThat(HttpDate.parse("Sun, 06 Nov 1994 08:49:37 GMT")).isEqualTo(784_111_777L);
    }

    @Test
    void acceptsTheObsoleteFormatsRfc9110Requires() {
        assertThat(HttpDate.parse("Sunday, 06-Nov-94 08:49:37 GMT")).isEqualTo(784_111_777L);
        assertThat(HttpDate.parse("Sun Nov  6 08:49:37 1994")).isEqualTo(784_111_777L);
    }

    @Test
    void unreadableDatesAreMinusOne() {
        assertThat(HttpDate.parse(null)).isEqualTo(-1);
        assertThat(HttpDate.parse("yesterday")).isEqualTo(-1);
    }

    @Test
    void nowIsTheCurrentSecondAndIsReused() {
        long before = System.currentTimeMillis() / 1000;
        String now = HttpDate.now();
        long after = System.currentTimeMillis() / 1000;
        assertThat(HttpDate.parse(now)).isBetween(before, after);
        String again = HttpDate.now();
        if (HttpDate.parse(again) == HttpDate.parse(now)) {
            assertThat(again).as("the same second reuses the formatted string").isSameAs(now);
        }
    }

    @Test
    void mimeTypesComeFromTheExtension() {
        assertThat(MimeTypes.forFileName("index.HTML")).isEqualTo("text/html; charset=utf-8");
        assertThat(MimeTypes.forFileName("a.tar.gz")).isEqualTo("application/gzip");
        assertThat(MimeTypes.forFileName("README")).isEqualTo(MimeTypes.DEFAULT);
        assertThat(MimeTypes.forFileName("trailing.")).isEqualTo(MimeTypes.DEFAULT);
        assertThat(MimeTypes.forFileName("x.unknown")).isEqualTo(MimeTypes.DEFAULT);
    }
}
