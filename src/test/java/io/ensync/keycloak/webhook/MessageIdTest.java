package io.ensync.keycloak.webhook;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageIdTest {

    private static final String ENDPOINT = "3f1c2b7e-9a0d-4e5f-8b6a-1c2d3e4f5a6b";

    @Test
    void aMessageIdIsTheEventsPrefixAndTheEndpointAndFitsTheColumn() {
        String prefix = WebhookOutbox.newIdPrefix(1_796_115_600_123L);
        String id = WebhookOutbox.messageId(prefix, ENDPOINT);
        assertTrue(prefix.matches("msg_01a230d512fb[0-9a-f]{12}"), prefix);
        assertEquals(prefix + "3f1c2b7e9a0d4e5f8b6a1c2d3e4f5a6b", id);
        assertEquals(60, id.length());
        assertNotEquals(id, WebhookOutbox.messageId(prefix, "4f1c2b7e-9a0d-4e5f-8b6a-1c2d3e4f5a6b"));
    }

    @Test
    void idsWrittenLaterSortAfter() {
        String earlier = WebhookOutbox.newIdPrefix(1_796_115_600_123L);
        String later = WebhookOutbox.newIdPrefix(1_796_115_600_124L);
        assertTrue(WebhookOutbox.messageId(earlier, ENDPOINT).compareTo(WebhookOutbox.messageId(later, ENDPOINT)) < 0);
    }

    @Test
    void twoEventsOfTheSameMillisecondGetDifferentIds() {
        Set<String> prefixes = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            prefixes.add(WebhookOutbox.newIdPrefix(1_796_115_600_123L));
        }
        assertEquals(10_000, prefixes.size());
    }
}
