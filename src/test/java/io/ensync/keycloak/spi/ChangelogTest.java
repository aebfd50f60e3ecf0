package io.ensync.keycloak.spi;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The changelog's shape, which Liquibase does not check: a master file including one file per release, in release
 * order, each declaring the master's path as its logical file path (the FILENAME that installations recorded before
 * the split: another name would run their changeSets again), and each changeSet named after its file's release.
 */
class ChangelogTest {

    private static final String MASTER = new EnsyncJpaEntityProviderFactory().getChangelogLocation();

    @Test
    void everyReleaseFileKeepsTheRecordedFileNameAndItsOwnChangeSets() throws Exception {
        Element master = parse(MASTER);
        assertEquals(0, master.getElementsByTagName("changeSet").getLength(), "the master only includes");
        NodeList includes = master.getElementsByTagName("include");
        assertTrue(includes.getLength() >= 4, "one file per release from 0.1.0 on");
        Set<String> ids = new HashSet<>();
        List<String> releases = new ArrayList<>();
        for (int i = 0; i < includes.getLength(); i++) {
            Element include = (Element) includes.item(i);
            assertEquals("true", include.getAttribute("relativeToChangelogFile"));
            String file = include.getAttribute("file");
            String release = file.substring(file.lastIndexOf('/') + 1).replace(".xml", "");
            releases.add(release);
            Element changelog = parse(MASTER.substring(0, MASTER.lastIndexOf('/') + 1) + file);
            assertEquals(MASTER, changelog.getAttribute("logicalFilePath"), file);
            NodeList changeSets = changelog.getElementsByTagName("changeSet");
            assertTrue(changeSets.getLength() > 0, file);
            for (int j = 0; j < changeSets.getLength(); j++) {
                Element changeSet = (Element) changeSets.item(j);
                String id = changeSet.getAttribute("id");
                assertTrue(id.startsWith("ensync-" + release + "-"), id + " in " + file);
                assertEquals("ensync", changeSet.getAttribute("author"), id);
                assertTrue(ids.add(id), "unique: " + id);
            }
        }
        assertEquals(releases.stream().sorted(ChangelogTest::byVersion).toList(), releases, "in release order");
    }

    private static int byVersion(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }

    private static Element parse(String resource) throws Exception {
        try (InputStream in = ChangelogTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertNotNull(in, resource);
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            Document document = factory.newDocumentBuilder().parse(in);
            return document.getDocumentElement();
        }
    }
}
