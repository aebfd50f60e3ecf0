package io.ensync.keycloak.permission;

import io.ensync.keycloak.common.Hmac;
import io.ensync.keycloak.common.Jpa;
import io.ensync.keycloak.partner.PartnerClientEntity;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import javax.crypto.SecretKey;
import java.util.List;
import java.util.Map;

/**
 * Where a partner client's token claim comes from: the sealed copy on the client (written whenever the approved set
 * changes), or — when that copy is missing or does not verify (never written, edited by hand, the realm's HMAC key
 * rotated) — the extension's own tables. Never from anything else an admin of the client could edit.
 */
public final class TopicClaims {

    private TopicClaims() {
    }

    /** Seals the approved grants of the client's environment onto the client. */
    public static void store(KeycloakSession session, RealmModel realm, ClientModel client, String partnerId, String env) {
        Map<String, List<String>> grants = GrantService.claimOf(session, partnerId, env);
        write(session, realm, client, new SealedClaim(partnerId, env, grants.get("send"), grants.get("receive")));
    }

    /** Seals the claim of a client whose stored copy is missing or does not verify (an upgrade, a rotated realm key). */
    public static void sealIfNeeded(KeycloakSession session, RealmModel realm, ClientModel client, String partnerId, String env) {
        if (SealedClaim.open(Hmac.realmKey(session, realm), client.getId(), client.getAttribute(SealedClaim.ATTR)) == null) {
            store(session, realm, client, partnerId, env);
        }
    }

    /**
     * Seals the claim again from the extension's records after the client was changed by someone else, so that no
     * value written by hand outlives the edit — not even one the extension itself sealed before a grant was revoked.
     * A client that is no partner client loses the attribute.
     */
    static void resealAfterEdit(KeycloakSession session, ClientModel client) {
        PartnerClientEntity partnerClient = partnerClient(session, client);
        if (partnerClient == null) {
            client.removeAttribute(SealedClaim.ATTR);
        } else {
            store(session, client.getRealm(), client, partnerClient.getPartner().getId(), partnerClient.getEnvironment());
        }
    }

    private static PartnerClientEntity partnerClient(KeycloakSession session, ClientModel client) {
        return Jpa.em(session)
                .createNamedQuery("ensync.partnerClient.byClientUuid", PartnerClientEntity.class)
                .setParameter("clientUuid", client.getId())
                .getResultList().stream().findFirst().orElse(null);
    }

    /** A new partner client: the claim's mapper, and the claim itself with no approved grant yet (no query needed). */
    static void attach(KeycloakSession session, RealmModel realm, ClientModel client, String partnerId, String env) {
        client.addProtocolMapper(TopicClaimMapper.model());
        write(session, realm, client, new SealedClaim(partnerId, env, List.of(), List.of()));
    }

    private static void write(KeycloakSession session, RealmModel realm, ClientModel client, SealedClaim claim) {
        SecretKey key = Hmac.realmKey(session, realm);
        if (key == null) {
            client.removeAttribute(SealedClaim.ATTR);
        } else {
            client.setAttribute(SealedClaim.ATTR, claim.seal(key, client.getId()));
        }
    }

    /** The claim of a client's tokens, or null when the client is not a partner client. */
    static SealedClaim of(KeycloakSession session, RealmModel realm, ClientModel client) {
        SealedClaim sealed = VerifiedSeals.open(session, realm, client);
        if (sealed != null) {
            return sealed;
        }
        PartnerClientEntity partnerClient = partnerClient(session, client);
        if (partnerClient == null) {
            return null;
        }
        String partnerId = partnerClient.getPartner().getId();
        Map<String, List<String>> grants = GrantService.claimOf(session, partnerId, partnerClient.getEnvironment());
        return new SealedClaim(partnerId, partnerClient.getEnvironment(), grants.get("send"), grants.get("receive"));
    }
}
