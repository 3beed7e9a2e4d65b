package io.globalgate.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The DBA's copy of the migrations ({@code io/globalgate/db/dba/mariadb/V<n>__<name>.sql}), read
 * and applied as the {@code mariadb} client does: what {@code DbaScriptsTest} checks and what the
 * privilege tests apply as a DBA before a node runs with {@code migrate=false}.
 */
public final class DbaScripts {

    private static final String FOLDER = "src/main/resources/io/globalgate/db/dba/mariadb";

    private DbaScripts() {
    }

    /** The folder of the scripts, from the filter module or from a module beside it. */
    public static Path folder() {
        Path here = Path.of(FOLDER);
        return Files.isDirectory(here) ? here : Path.of("..", "filter").resolve(FOLDER);
    }

    /** The scripts in the order of their version. */
    public static List<Path> inOrder() throws IOException {
        try (Stream<Path> files = Files.list(folder())) {
            return files.sorted(Comparator.comparingInt(DbaScripts::version)).toList();
        }
    }

    /** Applies the scripts, each once, in order, as a DBA would over the given connection. */
    public static void applyAll(Connection c) throws IOException, SQLException {
        for (Path script : inOrder()) {
            apply(c, script);
        }
    }

    public static void apply(Connection c, Path script) throws IOException, SQLException {
        try (Statement s = c.createStatement()) {
            for (String statement : statements(Files.readString(script, StandardCharsets.UTF_8))) {
                s.execute(statement);
            }
        }
    }

    /** Statements split at ';' at the end of a line; '--' comment lines dropped. */
    public static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            if (line.strip().startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (line.stripTrailing().endsWith(";")) {
                String statement = current.toString().strip();
                statements.add(statement.substring(0, statement.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            throw new IllegalArgumentException("a statement without its ';': " + current);
        }
        return statements;
    }

    private static int version(Path script) {
        String name = script.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.indexOf("__")));
    }
}
