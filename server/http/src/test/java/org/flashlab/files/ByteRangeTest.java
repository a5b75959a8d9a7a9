package org.flashlab.files;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ByteRangeTest {

    /** Expected: "first-last", "416" for unsatisfiable, or "ignore" to send the whole file. */
    @ParameterizedTest(name = "{0} of {1} bytes -> {2}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            bytes=0-4      | 14 | 0-4
            bytes=0-0      | 14 | 0-0
            bytes=7-       | 14 | 7-13
            bytes=5-999    | 14 | 5-13
            bytes=-6       | 14 | 8-13
            bytes=-100     | 14 | 0-13
            BYTES=1-2      | 14 | 1-2
            bytes=14-      | 14 | 416
            bytes=100-200  | 14 | 416
            bytes=-0       | 14 | 416
            bytes=-5       | 0  | 416
            bytes=0-       | 0  | 416
            null           | 14 | ignore
            items=0-4      | 14 | ignore
            bytes=0-1,3-4  | 14 | ignore
            bytes=4-2      | 14 | ignore
            bytes=a-b      | 14 | ignore
            bytes=1-b      | 14 | ignore
            bytes=-        | 14 | ignore
            bytes=--1      | 14 | ignore
            bytes=5        | 14 | ignore
            bytes=0-1234567890123456789 | 14 | ignore
            """)
    void parsesSingleRanges(String header, long size, String expected) {
        ByteRange range = ByteRange.parse(header, size);
        String actual = range == null ? "ignore"
                : range == ByteRange.UNSATISFIABLE ? "416" : range.first() + "-" + range.last();
        assertThat(actual).isEqualTo(expected);
        if (range != null && range != ByteRange.UNSATISFIABLE) {
            assertThat(range.length()).isEqualTo(range.last() - range.first() + 1);
        }
    }
}
