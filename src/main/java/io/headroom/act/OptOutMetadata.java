package io.headroom.act;

import java.io.StringReader;
import java.util.Locale;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Headroom's element in a domain's {@code <metadata>} ({@link LibvirtGateway#METADATA_NAMESPACE}), by which an
 * operator opts a guest out: parsed without DTDs or external entities, since whoever manages the guest writes it.
 */
final class OptOutMetadata {

    private OptOutMetadata() {}

    /**
     * The {@code opt-out} attribute of Headroom's metadata element, as libvirt returns it (e.g.
     * {@code <config opt-out="true"/>}): {@code true}/{@code 1} opt out, {@code false}/{@code 0} or no attribute do
     * not.
     *
     * @throws IllegalArgumentException if the XML or the value cannot be read
     */
    static boolean parse(String xml) {
        Element root;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            // Domain XML is written by whoever manages the guest: no DTDs, no external entities.
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            // The default handler prints "[Fatal Error]" to stderr; the exception says it, and the caller logs it.
            b.setErrorHandler(new DefaultHandler() {
                @Override
                public void fatalError(SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            root = b.parse(new InputSource(new StringReader(xml))).getDocumentElement();
        } catch (ParserConfigurationException | SAXException | java.io.IOException e) {
            throw new IllegalArgumentException("not XML: " + e.getMessage(), e);
        }
        if (!root.hasAttribute("opt-out")) {
            return false;
        }
        String v = root.getAttribute("opt-out").trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new IllegalArgumentException("opt-out must be true or false, got \"" + v + "\"");
        };
    }
}
