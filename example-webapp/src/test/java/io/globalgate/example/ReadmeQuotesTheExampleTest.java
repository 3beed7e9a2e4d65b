package io.globalgate.example;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's Tomcat and Jetty sections quote the example's files verbatim: each fenced block
 * after a {@code <!-- quoted from PATH -->} line must appear as it is in that file, so what a new
 * user copies is what the standalone Tomcat and Jetty tests deploy; and the modules, the database
 * privileges the README states are the ones those tests use.
 */
class ReadmeQuotesTheExampleTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern QUOTE = Pattern.compile("<!-- quoted from (\\S+) -->\\n```\\w*\\n(.*?)\\n```", Pattern.DOTALL);

    @Test
    void everyQuotedBlockIsInItsFileVerbatim() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        Matcher m = QUOTE.matcher(readme);
        List<String> quoted = new ArrayList<>();
        while (m.find()) {
            String source = Files.readString(ROOT.resolve(m.group(1)), StandardCharsets.UTF_8);
            assertTrue(source.contains(m.group(2)), "README's quote of " + m.group(1) + " is not in the file as it is:\n" + m.group(2));
            quoted.add(m.group(1));
        }
        assertEquals(List.of("example-webapp/src/main/webapp/META-INF/context.xml", "example-webapp/src/main/webapp/WEB-INF/web.xml",
                "example-webapp/src/main/variants/form/web.xml", "example-webapp/src/main/variants/form/web.xml", "example-webapp/pom.xml",
                "example-webapp/src/main/webapp/WEB-INF/jetty-ee10-env.xml", "example-webapp/src/main/jetty-base/modules/globalgate-realm.mod",
                "example-webapp/src/main/jetty-base/etc/globalgate-realm.xml"), quoted);
    }

    @Test
    void theContextXmlAndTheWebXmlAreQuotedWhole() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        for (String path : List.of("example-webapp/src/main/webapp/META-INF/context.xml", "example-webapp/src/main/webapp/WEB-INF/web.xml",
                "example-webapp/src/main/webapp/WEB-INF/jetty-ee10-env.xml", "example-webapp/src/main/jetty-base/etc/globalgate-realm.xml")) {
            String whole = Files.readString(ROOT.resolve(path), StandardCharsets.UTF_8).stripTrailing();
            assertTrue(readme.contains("<!-- quoted from " + path + " -->\n```xml\n" + whole + "\n```"), path + " is quoted whole");
        }
        String module = "example-webapp/src/main/jetty-base/modules/globalgate-realm.mod";
        String whole = Files.readString(ROOT.resolve(module), StandardCharsets.UTF_8).stripTrailing();
        assertTrue(readme.contains("<!-- quoted from " + module + " -->\n```\n" + whole + "\n```"), module + " is quoted whole");
    }

    @Test
    void theJettyModulesAndTheDatabasePrivilegesAreTheOnesTheStandaloneTestsUse() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        assertTrue(readme.contains("java -jar $JETTY_HOME/start.jar --add-modules=" + StandaloneJetty.MODULES + "\n"), "the Jetty modules");
        assertTrue(readme.contains("`" + StandaloneContainerContract.MIGRATING_NODE_PRIVILEGES + "`"), "the privileges of a migrating node");
        assertTrue(readme.contains("GRANT " + StandaloneContainerContract.MIGRATING_NODE_PRIVILEGES + " ON globalgate.* TO"), "the GRANT");
    }
}
