package org.flashlab.grader.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ResponseReaderTest {
    private static ByteBuffer direct(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return ByteBuffer.allocateDirect(b.length).put(b).flip();
    }

    @Test
    void aResponseSplitAnywhereReadsTheSame() throws Exception {
        String response = "HTTP/1.1 200 OK\r\nCONTENT-LENGTH: 5\r\nConnection: Keep-Alive, CLOSE\r\n\r\nhelloHTTP/1.1";
        for (int cut = 1; cut < response.length() - 13; cut++) {
            ResponseReader r = new ResponseReader();
            assertThat(r.read(direct(response.substring(0, cut)))).as("cut at %d", cut).isFalse();
            ByteBuffer rest = direct(response.substring(cut));
            assertThat(r.read(rest)).isTrue();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyBytes()).isEqualTo(5);
            assertThat(r.crc()).isEqualTo(Expected.of("hello".getBytes(StandardCharsets.US_ASCII)).crc32());
            assertThat(r.close()).as("Connection names close, in any case").isTrue();
            assertThat(rest.remaining()).as("the next response's bytes stay in the buffer").isEqualTo(8);
        }
    }

    @Test
    void chunkedBodiesWithExtensionsAndTrailers() throws Exception {
        ResponseReader r = new ResponseReader();
        assertThat(r.read(direct("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n"
                + "3;name=v\r\nhel\r\n2\r\nlo\r\n0\r\nX-Trailer: 1\r\n\r\n"))).isTrue();
        assertThat(r.bodyBytes()).isEqualTo(5);
        assertThat(r.close()).isFalse();
    }

    @Test
    void unframeableResponsesAreRefused() {
        assertThatThrownBy(() -> new ResponseReader().read(direct("HTTP/1.1 200 OK\r\n\r\n")))
                .hasMessageContaining("no Content-Length");
        assertThatThrownBy(() -> new ResponseReader().read(direct("garbage in\r\n")))
                .hasMessageContaining("status line");
        assertThatThrownBy(() -> new ResponseReader().read(direct("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n")))
                .hasMessageContaining("number");
        assertThatThrownBy(() -> new ResponseReader().read(direct("HTTP/1.1 200 OK\r\nX: " + "a".repeat(9000))))
                .hasMessageContaining("longer than");
    }
}
