package org.aemp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.aemp.config.PerlValues;
import org.aemp.config.RcFile;

/** Properties of the JSON-argument rewriting, list splitting and the whole command line. */
class CommandLineProperties {

    /** Words that look like JSON, look like commands, or are anything at all. */
    @Provide
    Arbitrary<String> words() {
        Arbitrary<String> any = Arbitraries.strings().ofMaxLength(12);
        Arbitrary<String> jsonish = Combinators.combine(Arbitraries.of("[", "{", "\"", "[\"", "{\"a\":", "[1,", "\"\\u"),
                Arbitraries.strings().withChars("[]{}\",:0123456789.eE+-truefalsnl \\u").ofMaxLength(10))
                .as((a, b) -> a + b);
        // network commands wait for nodes (mon, cal and run without limit): NetworkCommandsTest covers them
        CommandTable table = Main.commands();
        Arbitrary<String> commands = Arbitraries.of(table.names().stream()
                .filter(n -> !n.equals("gencert") && !n.equals("demo"))
                .filter(n -> table.lookup(n, true).map(e -> e.group() != CommandTable.Group.NETWORK).orElse(true))
                .toList());
        Arbitrary<String> lists = Arbitraries.strings().withChars("ab,:*4").ofMaxLength(8);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, any), net.jqwik.api.Tuple.of(3, jsonish),
                net.jqwik.api.Tuple.of(4, commands), net.jqwik.api.Tuple.of(2, lists));
    }

    @Property(tries = 500)
    void rewritingGivesValuesOrTheUsageError(@ForAll @Size(max = 6) List<@net.jqwik.api.From("words") String> args) {
        try {
            List<Object> words = JsonArguments.rewrite(args);
            if (args.size() != 1 || !args.get(0).startsWith("[")) {
                assertThat(words).hasSameSizeAs(args);
                for (int i = 0; i < args.size(); i++) {
                    if (!JsonArguments.isJson(args.get(i))) {
                        assertThat(words.get(i)).isEqualTo(args.get(i));
                    }
                }
            }
        } catch (CommandException e) {
            assertThat(e.status()).isEqualTo(CommandException.USAGE);
            // the two documented usage errors: bad JSON, or text the locale could not decode (U+FFFD)
            if (args.stream().anyMatch(a -> a.indexOf('\uFFFD') >= 0)) {
                assertThat(e.getMessage()).containsAnyOf("malformed JSON in argument ", "is not valid in the locale");
            } else {
                assertThat(e.getMessage()).startsWith("malformed JSON in argument ");
            }
        }
    }

    @Property
    void splittingDropsOnlyTrailingEmptyPieces(@ForAll("lists") String word) {
        List<String> pieces = PerlValues.splitComma(word);
        assertThat(String.join(",", pieces)).isEqualTo(word.replaceAll(",+$", ""));
        assertThat(pieces).allSatisfy(p -> assertThat(p).doesNotContain(","));
        if (!pieces.isEmpty()) {
            assertThat(pieces.get(pieces.size() - 1)).isNotEmpty();
        }
    }

    @Provide
    Arbitrary<String> lists() {
        return Arbitraries.strings().withChars("a,b:").ofMaxLength(12);
    }

    @Property
    void aListArgumentIsEitherStoredAsGivenOrAListOfStrings(@ForAll("values") Object value) {
        Object stored = Words.listArgument(value);
        if (Words.isReference(value)) {
            assertThat(stored).isSameAs(value);
        } else {
            assertThat(stored).isInstanceOf(List.class);
            assertThat((List<?>) stored).allSatisfy(p -> assertThat(p).isInstanceOf(String.class));
        }
    }

    @Provide
    Arbitrary<Object> values() {
        return Arbitraries.oneOf(Arbitraries.strings().withChars("a,").ofMaxLength(6).map(Object.class::cast),
                Arbitraries.longs().map(Object.class::cast), Arbitraries.doubles().map(Object.class::cast),
                Arbitraries.of(true, false).map(Object.class::cast), Arbitraries.just(null),
                Arbitraries.just(List.of("x")), Arbitraries.just(Map.of("k", 1L)));
    }

    @Property(tries = 300)
    void anyCommandLineEndsWithStatusZeroOneOrTwoAndNeverThrows(
            @ForAll @Size(max = 8) List<@net.jqwik.api.From("words") String> args) throws IOException {
        Path dir = Files.createTempDirectory("aemp-prop");
        try {
            Path rc = dir.resolve("aemp.rc");
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = Main.run(args.toArray(new String[0]), new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(err, true, StandardCharsets.UTF_8),
                    Environment.of(Map.of(RcFile.ENV_RC, rc.toString()), "prophost"));
            assertThat(status).isIn(0, 1, 2);
            if (status != 0) {
                assertThat(err.toString(StandardCharsets.UTF_8)).as("an error names what was wrong").isNotBlank();
            }
            if (Files.exists(rc)) {
                assertThat(RcFile.at(rc).load()).as("whatever was saved reads back").containsKey("version");
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.delete(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
    }
}
