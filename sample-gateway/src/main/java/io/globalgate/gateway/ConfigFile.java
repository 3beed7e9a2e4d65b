package io.globalgate.gateway;

import io.globalgate.config.InvalidConfiguration;
import io.globalgate.config.Labels;
import io.globalgate.config.Option;
import io.globalgate.config.OptionSet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The gateway's configuration file ({@code --config FILE} / {@code GLOBALGATE_CONFIG}; the
 * distribution's {@code bin/globalgate} names its {@code conf/globalgate.conf}). One option a line,
 * {@code name = value}, the name being the flag without its dashes ({@code data-dir}); a line that
 * starts with {@code #} is a comment. The file knows every option of the schema it is read
 * against, so an option added to {@link GatewayConfig#OPTIONS} is at once a flag, a variable and
 * a line of this file, and {@link #template} writes it into the commented file the distribution
 * ships.
 *
 * <p>Nothing is dropped in silence: an unknown name (with the nearest known one), a line without
 * {@code =}, a name given twice and a refused value each name the file and the line, and every
 * problem is reported at once.
 */
public final class ConfigFile {

    /** A configuration file is a few kilobytes; a larger one is the wrong file. */
    static final int MAX_BYTES = 1 << 20;

    private static final int SHOWN_MAX = 80;

    /** One value of the file: the option's name in the schema, the text, and where it was written. */
    record Entry(String name, String value, int line, String where) {
    }

    private ConfigFile() {
    }

    /** The option's name in the file: its flag without the leading dashes. */
    static String key(Option<?> option) {
        return option.flag().substring(2);
    }

    /**
     * Reads {@code file} against {@code options} ({@code self}, the option naming the file, may not
     * appear in it). Each value is checked by its option's rule here, whether or not a variable or
     * flag overrides it later: a file that says something wrong is refused.
     *
     * @return the values by option name, in the order of the file
     * @throws GatewayConfig.UsageException every problem of the file, one a line, each with file and line
     */
    static Map<String, Entry> read(Path file, List<Option<?>> options, Option<?> self) throws GatewayConfig.UsageException {
        String text = contents(file);
        List<String> problems = new ArrayList<>();
        Map<String, Entry> entries = new LinkedHashMap<>();
        Map<String, Option<?>> byKey = new LinkedHashMap<>();
        for (Option<?> option : options) {
            byKey.put(key(option), option);
        }
        String[] lines = text.split("\r?\n|\r", -1);
        for (int i = 0; i < lines.length; i++) {
            String where = file + ":" + (i + 1);
            String line = i == 0 && lines[i].startsWith("\uFEFF") ? lines[i].substring(1) : lines[i];
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            if (eq < 0) {
                problems.add(where + ": expected name = value, such as port = 8080 (was " + quote(trimmed) + ")");
                continue;
            }
            String key = trimmed.substring(0, eq).strip();
            Option<?> option = byKey.get(key);
            if (option == null) {
                problems.add(where + ": unknown option " + quote(key) + suggestion(key, byKey.keySet()));
                continue;
            }
            if (option.equals(self)) {
                problems.add(where + ": " + key + " names this file; give it as " + self.flag() + " or " + self.env()
                        + ", not inside a configuration file");
                continue;
            }
            String value = trimmed.substring(eq + 1).strip();
            if (value.startsWith("\"")) {
                if (value.length() < 2 || !value.endsWith("\"")) {
                    problems.add(where + ": " + key + " opens a double quote that the line does not close");
                    continue;
                }
                value = value.substring(1, value.length() - 1);
            }
            Entry earlier = entries.get(option.name());
            if (earlier != null) {
                problems.add(where + ": " + key + " is set a second time (first at line " + earlier.line() + "); keep one");
                continue;
            }
            entries.put(option.name(), new Entry(option.name(), value, i + 1, where + ": " + key));
        }
        problems.addAll(refusedValues(entries, options, self));
        if (!problems.isEmpty()) {
            throw new GatewayConfig.UsageException(String.join("\n", problems));
        }
        return entries;
    }

    /** Each value checked by its option's rule, alone (rules between options apply to the merged configuration). */
    private static List<String> refusedValues(Map<String, Entry> entries, List<Option<?>> options, Option<?> self) {
        List<Option<?>> inFile = options.stream().filter(o -> !o.equals(self)).toList();
        Map<String, String> values = new LinkedHashMap<>();
        entries.forEach((name, entry) -> values.put(name, entry.value()));
        Labels labels = new Labels(o -> entries.containsKey(o.name()) ? entries.get(o.name()).where() : key(o), " ");
        try {
            OptionSet.of(inFile, List.of()).read(values, labels);
            return List.of();
        } catch (InvalidConfiguration e) {
            return e.problems();
        }
    }

    private static String contents(Path file) throws GatewayConfig.UsageException {
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw new GatewayConfig.UsageException("configuration file " + file + " is a directory");
            }
            if (Files.size(file) > MAX_BYTES) {
                throw new GatewayConfig.UsageException("configuration file " + file + " is larger than 1 MiB: not a configuration file");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new GatewayConfig.UsageException("configuration file " + file + " does not exist");
        } catch (AccessDeniedException e) {
            throw new GatewayConfig.UsageException("configuration file " + file + " cannot be read: permission denied");
        } catch (IOException e) {
            throw new GatewayConfig.UsageException("configuration file " + file + " cannot be read: " + e.getMessage());
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new GatewayConfig.UsageException("configuration file " + file + " is not UTF-8 text");
        }
    }

    /** {@code (did you mean data-dir?)} for a name close to a known one, written another way or mistyped. */
    static String suggestion(String key, Iterable<String> known) {
        String plain = plain(key);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            if (plain(candidate).equals(plain)) {
                return " (did you mean " + candidate + "?)";
            }
            int distance = distance(key.toLowerCase(Locale.ROOT), candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        if (best != null && bestDistance <= Math.max(2, best.length() / 4)) {
            return " (did you mean " + best + "?)";
        }
        return " (bin/globalgate --help lists every option)";
    }

    /** {@code --Data_Dir}, {@code dataDir} and {@code GLOBALGATE_DATA_DIR} are all {@code datadir}. */
    private static String plain(String key) {
        String lower = key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        return lower.startsWith("globalgate") && lower.length() > "globalgate".length() ? lower.substring("globalgate".length()) : lower;
    }

    /** Levenshtein distance, for names of a few dozen characters. */
    private static int distance(String a, String b) {
        if (a.length() > 100) {
            return Integer.MAX_VALUE;
        }
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** Quoted on one line: cut at 80 characters, control characters as {@code \\uXXXX}. */
    private static String quote(String text) {
        String cut = text.length() > SHOWN_MAX ? text.substring(0, SHOWN_MAX) : text;
        StringBuilder shown = new StringBuilder("'");
        for (char c : cut.toCharArray()) {
            shown.append(Character.isISOControl(c) ? String.format("\\u%04X", (int) c) : String.valueOf(c));
        }
        return shown.append(cut.length() < text.length() ? "…'" : "'").toString();
    }

    /**
     * The commented configuration file the distribution ships: every option of {@code options}
     * but {@code self}, with its description, flag, variable and default, commented out.
     */
    static String template(List<Option<?>> options, Option<?> self) {
        StringBuilder sb = new StringBuilder("""
                # Globalgate gateway configuration, read at start.
                #
                # bin/globalgate reads this file (conf/globalgate.conf beside it) unless
                # GLOBALGATE_CONFIG or --config FILE names another one.
                #
                # One option a line: name = value. A line starting with # is a comment.
                # Every option is listed below, commented out, with its default: remove the
                # "# " in front of a line to set it. The value is the rest of the line, spaces
                # at either end removed; write it in double quotes to keep them ("  x  ").
                # A relative path is relative to the directory the gateway is started in.
                #
                # Precedence: a command-line flag (--port 8081) wins over an environment
                # variable (GLOBALGATE_PORT=8081), which wins over this file, which wins over
                # the default. A line this file cannot use (an unknown name, a name given
                # twice, a value the option refuses) stops the start with its file and line.
                #
                # This file may hold passwords: make it readable by the gateway's user only.
                """);
        for (Option<?> option : options) {
            if (option.equals(self)) {
                continue;
            }
            sb.append('\n');
            sb.append("# ").append(option.description()).append('\n');
            sb.append("# (flag ").append(option.flag()).append(", environment variable ").append(option.env())
                    .append(option.defaultValue().isEmpty() ? "; no default" : "").append(")\n");
            sb.append("# ").append(key(option)).append(" =")
                    .append(option.defaultValue().isEmpty() ? "" : " " + option.defaultValue()).append('\n');
        }
        return sb.toString();
    }

    /** Writes the template to the path given (the build runs this for the distribution's {@code conf/}). */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ConfigFile <output file>");
        }
        Path out = Path.of(args[0]);
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, template(GatewayConfig.OPTIONS, GatewayConfig.CONFIG));
    }
}
