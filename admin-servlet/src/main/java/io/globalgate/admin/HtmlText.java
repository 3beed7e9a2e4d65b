package io.globalgate.admin;

/** Text for a hand-written HTML page (the login pages outside the admin's templates). */
public final class HtmlText {

    private HtmlText() {
    }

    /**
     * Text as an HTML attribute value (in double or single quotes) or element content.
     *
     * @param text any text
     * @return the text with {@code & < > " '} as character references
     */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
