package io.globalgate.gateway;

import io.globalgate.admin.AdminOptions;
import io.globalgate.config.Option;
import io.globalgate.filter.FilterOptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The README's configuration tables and the declared options are one list: every declared option
 * has a row with its default, and every row names a declared option. (The sample gateway's table,
 * with its flags and variables, is checked by {@link GatewayConfigTest}.)
 */
class ReadmeConfigurationTablesTest {

    private static final Pattern NAME = Pattern.compile("`([A-Za-z]+)`");

    @Test
    void theFilterTableListsEveryFilterOptionWithItsDefault() throws IOException {
        assertEquals(declared(FilterOptions.ALL.options()), table("### Filter ("));
    }

    @Test
    void theAdminTableListsEveryAdminOptionWithItsDefault() throws IOException {
        assertEquals(declared(AdminOptions.ALL.options()), table("### Admin servlet ("));
    }

    /** Option name to default as the README writes it: {@code `10m`}, or {@code —} for none. */
    private static Map<String, String> declared(List<Option<?>> options) {
        Map<String, String> rows = new LinkedHashMap<>();
        for (Option<?> option : options) {
            rows.put(option.name(), option.defaultValue().isEmpty() ? "—" : "`" + option.defaultValue() + "`");
        }
        return sorted(rows);
    }

    /** The rows of the table under {@code heading}; a row may name several options ({@code `jdbcUrl`, `jdbcUser`}). */
    private static Map<String, String> table(String heading) throws IOException {
        Path readme = Path.of(System.getProperty("basedir", "."), "..", "README.md");
        List<String> lines = Files.readAllLines(readme).stream().dropWhile(line -> !line.startsWith(heading)).skip(1)
                .takeWhile(line -> !line.startsWith("#")).filter(line -> line.startsWith("| `")).toList();
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : lines) {
            String[] cells = line.split("\\|");
            String defaultCell = cells[2].strip();
            // "— (no limit)" says why there is none; the default itself is the dash.
            String shown = defaultCell.startsWith("—") ? "—" : defaultCell;
            Matcher names = NAME.matcher(cells[1]);
            while (names.find()) {
                rows.put(names.group(1), shown);
            }
        }
        return sorted(rows);
    }

    private static Map<String, String> sorted(Map<String, String> rows) {
        List<String> names = new ArrayList<>(rows.keySet());
        names.sort(null);
        Map<String, String> sorted = new LinkedHashMap<>();
        names.forEach(name -> sorted.put(name, rows.get(name)));
        return sorted;
    }
}
