package io.headroom.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An http(s) URL with {@code {name}} placeholders, e.g. {@code https://grafana/d/headroom?var-workload={workload}}.
 * Checked at load (known placeholders only, a valid URL once filled in); values are percent-encoded when expanded
 * so that a workload name can never change the URL's structure.
 *
 * @param text the template as written in the config
 */
public record UrlTemplate(String text) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");

    /** Fills in every placeholder with its percent-encoded value; a placeholder without a value becomes empty. */
    public String expand(Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(encode(values.getOrDefault(m.group(1), ""))));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    @Override
    public String toString() {
        return text;
    }

    /** Why {@code text} is not a usable template with these placeholders, or empty if it is. */
    static Optional<String> problem(String text, Set<String> allowed) {
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            if (!allowed.contains(m.group(1))) {
                return Optional.of("must use only the placeholders " + String.join(", ", allowed.stream().sorted()
                        .map(p -> "{" + p + "}").toList()) + " (got \"" + text + "\")");
            }
        }
        String sample = PLACEHOLDER.matcher(text).replaceAll("x");
        try {
            URI u = new URI(sample);
            if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null) {
                return Optional.empty();
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        return Optional.of("must be an http:// or https:// URL with a host, placeholders filled in (got \"" + text + "\")");
    }

    /** RFC 3986 percent-encoding of everything but unreserved characters, valid in a path segment and a query. */
    static String encode(String value) {
        StringBuilder sb = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }
}
