package io.globalgate.admin;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HtmlTextTest {

    @Test
    void markupAndBothQuotesBecomeReferencesAndEverythingElseStays() {
        assertEquals("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", HtmlText.escape("<script>alert('x')</script>"));
        assertEquals("&quot; onfocus=&quot;a()&quot; &amp;amp;", HtmlText.escape("\" onfocus=\"a()\" &amp;"));
        assertEquals("ops-ünïcode 😀 name", HtmlText.escape("ops-ünïcode 😀 name"));
        assertEquals("", HtmlText.escape(""));
    }
}
