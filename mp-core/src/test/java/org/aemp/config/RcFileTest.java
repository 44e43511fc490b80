package org.aemp.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RcFileTest {
    @TempDir
    Path dir;

    @Test
    void locationFollowsPerlsOrderOfVariables() {
        assertThat(RcFile.locate(Map.of("PERL_ANYEVENT_MP_RC", "/x/rc", "HOME", "/home/u", "APPDATA", "/a")).path())
                .isEqualTo(Path.of("/x/rc"));
        assertThat(RcFile.locate(Map.of("HOME", "/home/u", "APPDATA", "/a")).path())
                .isEqualTo(Path.of("/home/u/.perl-anyevent-mp"));
        assertThat(RcFile.locate(Map.of("APPDATA", "/a")).path()).isEqualTo(Path.of("/a/perl-anyevent-mp"));
    }

    @Test
    void locationNeedsSomeVariable() {
        assertThatThrownBy(() -> RcFile.locate(Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("PERL_ANYEVENT_MP_RC, HOME and APPDATA");
        assertThatThrownBy(() -> RcFile.locate(Map.of("PERL_ANYEVENT_MP_RC", "", "HOME", "/h")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("set but empty");
    }

    @Test
    void backupAndTemporaryNamesAreSiblings() {
        RcFile rc = RcFile.at(dir.resolve("rc"));
        assertThat(rc.backupPath()).isEqualTo(dir.resolve("rc~"));
        assertThat(rc.newPath()).isEqualTo(dir.resolve("rc~new~"));
    }

    @Test
    void missingFileReadsAsVersionOne() throws IOException {
        Map<String, Object> cfg = RcFile.at(dir.resolve("none")).load();
        assertThat(cfg).containsExactly(Map.entry("version", 1L));
        cfg.put("secret", "mutable");
    }

    @Test
    void readsAPerlWrittenFile() throws IOException {
        Path file = dir.resolve("rc");
        Files.write(file, Golden.bytes("perl-written.rc"));
        Map<String, Object> cfg = RcFile.at(file).load();

        assertThat(cfg).containsOnlyKeys("version", "profile", "seeds", "secret");
        assertThat(cfg.get("version")).isEqualTo(1L);
        assertThat(cfg.get("secret")).isEqualTo("interop-secret");
        assertThat(cfg.get("seeds")).isEqualTo(List.of("127.0.0.1:4040"));
        assertThat(cfg.get("profile")).isEqualTo(Map.of(
                "seed", Map.of("binds", List.of("*:4040"), "services", List.of("AnyEvent::MP::Global::")),
                "worker", Map.of("parent", "seed", "nodeid", "worker/%n/%u", "monitor_timeout", "20")));
    }

    @Test
    void writingAParsedPerlFileGivesTheSameBytes() throws IOException {
        for (String name : List.of("perl-written.rc", "perl-after-edits.rc", "section-4.6.rc")) {
            byte[] perl = Golden.bytes(name);
            assertThat(RcFile.format(RcFile.parse(perl, name)).getBytes(StandardCharsets.UTF_8))
                    .as(name)
                    .isEqualTo(perl);
        }
    }

    @Test
    void saveWritesPerlsLayout() throws IOException {
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("version", 1L);
        cfg.put("secret", "s");
        cfg.put("binds", List.of());
        cfg.put("profile", Map.of("p", Map.of()));
        cfg.put("dirty", 1L);
        RcFile rc = RcFile.at(dir.resolve("rc"));
        rc.save(cfg);

        assertThat(Files.readString(rc.path())).isEqualTo("""
                {
                   "version" : 1,
                   "secret" : "s",
                   "binds" : [],
                   "profile" : {
                      "p" : {}
                   }
                }

                """);
        Map<String, Object> back = rc.load();
        cfg.remove("dirty");
        assertThat(back).isEqualTo(cfg);
        assertThat(Files.exists(rc.newPath())).isFalse();
        assertThat(Files.exists(rc.backupPath())).isFalse();
    }

    @Test
    void saveKeepsThePreviousFileAsBackup() throws IOException {
        RcFile rc = RcFile.at(dir.resolve("rc"));
        Files.write(rc.path(), Golden.bytes("perl-written.rc"));
        Files.writeString(rc.backupPath(), "older backup");
        Object oldKey = Files.getAttribute(rc.path(), "unix:ino");

        Map<String, Object> cfg = rc.load();
        cfg.put("secret", "changed");
        rc.save(cfg);

        assertThat(Files.readAllBytes(rc.backupPath())).isEqualTo(Golden.bytes("perl-written.rc"));
        // Perl hard-links the old file to <file>~, and so do we
        assertThat(Files.getAttribute(rc.backupPath(), "unix:ino")).isEqualTo(oldKey);
        assertThat(rc.load().get("secret")).isEqualTo("changed");
        assertThat(Files.exists(rc.newPath())).isFalse();
    }

    @Test
    void saveKeepsTheFileModeAndCreatesNewFilesPrivate() throws IOException {
        RcFile rc = RcFile.at(dir.resolve("rc"));
        rc.save(RcFile.empty());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(rc.path()))).isEqualTo("rw-------");

        Files.setPosixFilePermissions(rc.path(), PosixFilePermissions.fromString("rw-r-----"));
        rc.save(RcFile.empty());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(rc.path()))).isEqualTo("rw-r-----");
    }

    @Test
    void theNewFileHasItsFinalModeFromItsCreation() throws IOException {
        // An interrupted thread cannot write to a FileChannel: writeNew creates the file, then fails
        // at the first write, which shows the mode the file had while the secret was being written.
        Path tmp = dir.resolve("rc~new~");
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> RcFile.writeNew(tmp, "{\"secret\":\"s\"}".getBytes(StandardCharsets.UTF_8),
                    PosixFilePermissions.fromString("rw-------")))
                    .isInstanceOf(ClosedByInterruptException.class);
        } finally {
            Thread.interrupted();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp))).isEqualTo("rw-------");
    }

    @Test
    void aFailedSaveLeavesNoPartialNewFile() {
        RcFile rc = RcFile.at(dir.resolve("rc"));
        Map<String, Object> cfg = RcFile.empty();
        cfg.put("secret", "s");
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> rc.save(cfg)).isInstanceOf(ClosedByInterruptException.class);
        } finally {
            Thread.interrupted();
        }
        assertThat(rc.newPath()).doesNotExist();
        assertThat(rc.path()).doesNotExist();
    }

    @Test
    void readsRelaxedJson() throws RcFileException {
        Map<String, Object> cfg = RcFile.parse("""
                # my network
                {
                   "secret" : "a#b",   # not a comment inside the string
                   "seeds" : [ "h1:4040", "h2:4040", ],
                   "profile" : { "p" : { "binds" : ["*",], }, },
                   "tab" : "a\tb",
                }
                # trailing comment
                """, "relaxed");
        assertThat(cfg).containsExactly(
                Map.entry("secret", "a#b"),
                Map.entry("seeds", List.of("h1:4040", "h2:4040")),
                Map.entry("profile", Map.of("p", Map.of("binds", List.of("*")))),
                Map.entry("tab", "a\tb"));
    }

    @Test
    void readsValueTypesAsPerlKeepsThem() throws RcFileException {
        Map<String, Object> cfg = RcFile.parse("{\"i\":20, \"f\":0.5, \"t\":true, \"n\":null, "
                + "\"u\":18446744073709551615, \"big\":18446744073709551616, \"s\":\"\\u00e9\\ud83d\\ude00\"}", "t");
        assertThat(cfg.get("i")).isEqualTo(20L);
        assertThat(cfg.get("f")).isEqualTo(0.5);
        assertThat(cfg.get("t")).isEqualTo(true);
        assertThat(cfg).containsEntry("n", null);
        assertThat(cfg.get("u")).hasToString("18446744073709551615");
        assertThat(cfg.get("big")).isEqualTo("18446744073709551616");
        assertThat(cfg.get("s")).isEqualTo("é\uD83D\uDE00");
    }

    @Test
    void rejectsWhatJsonXsRejects() {
        assertMalformed("{\"a\":[,]}", 1, 7, "Unexpected character");
        assertMalformed("{\"a\":1} x", 1, 9, "Unrecognized token 'x'");
        assertMalformed("{\"a\":1}{}", 1, 8, "garbage after the JSON object");
        assertMalformed("{\n  \"a\" : \"x\ny\"\n}", 2, 11, "invalid character U+000A inside a string");
        assertMalformed("{\"a\":\"\\ud800\"}", 1, 6, "unpaired UTF-16 surrogate");
        assertMalformed("// comment\n{}", 1, 1, "Unexpected character");
        assertMalformed("[1]", 1, 1, "the top level must be a JSON object, found an array");
        assertMalformed("  ", 1, 3, "no JSON object found");
        assertMalformed("\uFEFF{}", 1, 1, "Unexpected character");
        assertMalformed("{\"a\":+1}", 1, 7, "plus sign");
        assertMalformed("{\"a\":" + "[".repeat(512) + "]".repeat(512) + "}", 1, -1, "nesting depth");
    }

    @Test
    void rejectsInvalidUtf8WithItsPosition() {
        byte[] bytes = "{\n \"a\" : \"x\"}".getBytes(StandardCharsets.UTF_8);
        bytes[10] = (byte) 0xff;
        assertThatThrownBy(() -> RcFile.parse(bytes, "bytes"))
                .isInstanceOf(RcFileException.class)
                .hasMessage("bytes: line 2, column 9: invalid UTF-8 at byte offset 10 (the rc file must be UTF-8)");
    }

    @Test
    void malformedFileIsReportedAndNeverOverwritten() throws IOException {
        RcFile rc = RcFile.at(dir.resolve("rc"));
        byte[] broken = "{\n   \"secret\" : \"keep me\",\n   \"seeds\" : [\"h:1\"\n}\n".getBytes(StandardCharsets.UTF_8);
        Files.write(rc.path(), broken);
        FileTime mtime = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(rc.path(), mtime);

        assertThatThrownBy(rc::load)
                .isInstanceOf(RcFileException.class)
                .hasMessageStartingWith(rc.path() + ": line 4, column 1: ")
                .satisfies(e -> {
                    RcFileException r = (RcFileException) e;
                    assertThat(r.source()).isEqualTo(rc.path().toString());
                    assertThat(r.line()).isEqualTo(4);
                    assertThat(r.column()).isEqualTo(1);
                });

        assertThatThrownBy(() -> rc.save(RcFile.empty()))
                .isInstanceOf(RcFileException.class)
                .hasMessageContaining("refusing to overwrite")
                .hasMessageContaining("line 4, column 1");

        assertThat(Files.readAllBytes(rc.path())).isEqualTo(broken);
        assertThat(Files.getLastModifiedTime(rc.path())).isEqualTo(mtime);
        assertThat(Files.exists(rc.backupPath())).isFalse();
        assertThat(Files.exists(rc.newPath())).isFalse();
    }

    @Test
    void errorMessageNamesTheFile() throws IOException {
        Path file = dir.resolve("rc");
        Files.writeString(file, "{\"a\" 1}");
        assertThatThrownBy(() -> RcFile.at(file).load())
                .hasMessage(file + ": line 1, column 6: Unexpected character ('1' (code 49)):"
                        + " was expecting a colon to separate field name and value");
    }

    @Test
    void saveRejectsValuesJsonCannotHold() {
        RcFile rc = RcFile.at(dir.resolve("rc"));
        assertThatThrownBy(() -> rc.save(Map.of("x", new Object())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at $.x");
        assertThat(Files.exists(rc.path())).isFalse();
    }

    private static void assertMalformed(String text, int line, int column, String problem) {
        assertThatThrownBy(() -> RcFile.parse(text, "t"))
                .isInstanceOf(RcFileException.class)
                .hasMessageContaining(problem)
                .satisfies(e -> {
                    assertThat(((RcFileException) e).line()).as(text).isEqualTo(line);
                    if (column > 0) {
                        assertThat(((RcFileException) e).column()).as(text).isEqualTo(column);
                    }
                });
    }
}
