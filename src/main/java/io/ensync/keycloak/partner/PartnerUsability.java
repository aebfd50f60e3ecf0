package io.ensync.keycloak.partner;

import io.ensync.keycloak.common.ApiException;
import io.ensync.keycloak.common.ErrorCode;

/**
 * The one place that decides whether a partner can still be used, and how a refusal is answered (SPEC §3,
 * docs/api.md "Errors"):
 * <ul>
 *   <li>the partner acts, or an admin or the integrator acts on it (its API, its keys, its portal, its links, suspend
 *   and resume): offboarded is {@code 410 partner_offboarded} — the partner is gone for good, as a used link is —
 *   and suspended is {@code 403 partner_suspended} — authenticated, not allowed, until it is resumed;</li>
 *   <li>an admin or the integrator decides one of its items (a grant, a promotion): the item conflicts with its
 *   partner's state, {@code 409 partner_offboarded} or {@code 409 partner_suspended}, like an item already decided.</li>
 * </ul>
 */
public final class PartnerUsability {

    private PartnerUsability() {
    }

    /** 410 unless the partner is still on board. */
    public static void requireNotOffboarded(PartnerEntity partner) {
        if (partner.getStatus() == PartnerStatus.OFFBOARDED) {
            throw ApiException.of(ErrorCode.PARTNER_OFFBOARDED, "This partner has been offboarded.");
        }
    }

    /** 410 when offboarded, 403 when suspended. */
    public static void requireUsable(PartnerEntity partner) {
        requireNotOffboarded(partner);
        if (partner.getStatus() == PartnerStatus.SUSPENDED) {
            throw ApiException.of(ErrorCode.PARTNER_SUSPENDED, "This partner is suspended.");
        }
    }

    /**
     * 409 when the partner of a pending item (named by {@code item}, "grant" or "promotion") is offboarded — or gone
     * with its integration ({@code null}) — or suspended.
     */
    public static void requireDecidable(PartnerEntity partner, String item) {
        if (partner == null || partner.getStatus() == PartnerStatus.OFFBOARDED) {
            throw ApiException.of(ErrorCode.PARTNER_OFFBOARDED_CONFLICT, "The partner of this " + item + " has been offboarded.");
        }
        if (partner.getStatus() == PartnerStatus.SUSPENDED) {
            throw ApiException.of(ErrorCode.PARTNER_SUSPENDED_CONFLICT, "The partner of this " + item + " is suspended.");
        }
    }
}
