package io.ensync.keycloak.partner;

import io.ensync.keycloak.common.ApiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Whether a partner can still be used, and how each refusal is answered (SPEC §3, docs/api.md "Errors"). */
class PartnerUsabilityTest {

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "usable|INVITED|-",
            "usable|ACTIVE|-",
            "usable|SUSPENDED|403 partner_suspended",
            "usable|OFFBOARDED|410 partner_offboarded",
            "notOffboarded|INVITED|-",
            "notOffboarded|ACTIVE|-",
            "notOffboarded|SUSPENDED|-",
            "notOffboarded|OFFBOARDED|410 partner_offboarded",
            "decidable|INVITED|-",
            "decidable|ACTIVE|-",
            "decidable|SUSPENDED|409 partner_suspended",
            "decidable|OFFBOARDED|409 partner_offboarded",
            "decidable|-|409 partner_offboarded",
    })
    void answers(String rule, PartnerStatus status, String refusal) {
        PartnerEntity partner = status == null ? null : new PartnerEntity();
        if (partner != null) {
            partner.setStatus(status);
        }
        Runnable check = switch (rule) {
            case "usable" -> () -> PartnerUsability.requireUsable(partner);
            case "notOffboarded" -> () -> PartnerUsability.requireNotOffboarded(partner);
            default -> () -> PartnerUsability.requireDecidable(partner, "grant");
        };
        if (refusal == null) {
            check.run();
            return;
        }
        ApiException e = assertThrows(ApiException.class, check::run);
        assertEquals(refusal, e.getResponse().getStatus() + " " + e.code());
    }
}
