package org.flashlab.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.flashlab.http.HttpException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DocumentRootTest {
    @TempDir
    Path base;
    Path www;
    DocumentRoot root;

    @BeforeEach
    void site() throws IOException {
        www = Files.createDirectories(base.resolve("www"));
        Files.writeString(www.resolve("a.txt"), "a");
        Files.createDirectories(www.resolve("dir/deeper"));
        Files.writeString(www.resolve("dir/index.html"), "index");
        Files.createDirectories(www.resolve("empty-dir"));
        Files.writeString(base.resolve("outside.txt"), "outside");
        Files.createSymbolicLink(www.resolve("out.txt"), base.resolve("outside.txt"));
        Files.createSymbolicLink(www.resolve("in.txt"), www.resolve("a.txt"));
        Files.createSymbolicLink(www.resolve("dangling"), www.resolve("nothing"));
        Files.writeString(www.resolve("private.txt"), "p");
        Files.setPosixFilePermissions(www.resolve("private.txt"), PosixFilePermissions.fromString("-w-------"));
        root = new DocumentRoot(www);
    }

    private String resolved(String target) throws HttpException, IOException {
        return switch (root.resolve(target)) {
            case DocumentRoot.Found f -> www.toRealPath().relativize(f.path()).toString();
            case DocumentRoot.Redirect r -> "redirect " + r.location();
        };
    }

    private static int status(ThrowingResolve call) {
        try {
            call.run();
            return 200;
        } catch (HttpException e) {
            return e.status().code();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    interface ThrowingResolve {
        void run() throws HttpException, IOException;
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /a.txt              | a.txt
            /a.txt?q=/../x      | a.txt
            /./a.txt            | a.txt
            //a.txt             | a.txt
            /dir/../a.txt       | a.txt
            /dir/deeper/../../a.txt | a.txt
            /%61.txt            | a.txt
            /dir/               | dir/index.html
            /dir                | redirect /dir/
            /dir?x              | redirect /dir/
            //evil.example/..   | redirect /
            /d%69r              | redirect /dir/
            /in.txt             | a.txt
            """)
    void mapsTargetsInsideTheRoot(String target, String expected) throws HttpException, IOException {
        assertThat(resolved(target)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /..                 | 400
            /../outside.txt     | 400
            /dir/../../outside.txt | 400
            /%2e%2e/outside.txt | 400
            /%2E%2E%2Foutside.txt | 400
            /a.txt%00           | 400
            /%5c..%5coutside.txt | 400
            /%                  | 400
            /%4                 | 400
            /%g1                | 400
            /%ff                | 400
            /out.txt            | 404
            /dangling           | 404
            /missing            | 404
            /a.txt/             | 404
            /.git/config        | 404
            /private.txt        | 403
            /empty-dir/         | 403
            """)
    void refusesEverythingElse(String target, int status) {
        assertThat(status(() -> root.resolve(target))).isEqualTo(status);
    }

    @Test
    void theRootMustBeAnExistingDirectory() throws IOException {
        assertThatThrownBy(() -> new DocumentRoot(www.resolve("a.txt"))).isInstanceOf(NotDirectoryException.class);
        assertThatThrownBy(() -> new DocumentRoot(www.resolve("missing"))).isInstanceOf(IOException.class);
        assertThat(root.path()).isEqualTo(www.toRealPath());
    }

    @Test
    void decodesUtf8PercentEscapes() throws HttpException {
        assertThat(DocumentRoot.decode("/caf%C3%A9%20x+y")).isEqualTo("/café x+y");
        assertThat(DocumentRoot.decode("/plain")).isEqualTo("/plain");
    }
}
