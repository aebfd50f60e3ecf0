package io.ensync.keycloak.partnerapi;

import io.ensync.keycloak.common.Json;
import io.ensync.keycloak.partner.PartnerSelfService;
import io.ensync.keycloak.permission.GrantView;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code GET /me} answers the partner's own fields, then its grants: one object, in that order, no nulls. */
class PartnerApiMeTest {

    @ParameterizedTest(name = "[{index}] {2}")
    @CsvSource(delimiter = '|', value = {
            "''|0|{'id':'p1','appName':'App','status':'active','stage':'dev','integration':'Shop','environments':[],'grants':[]}",
            "Shop app|1|{'id':'p1','appName':'App','appDescription':'Shop app','status':'active','stage':'dev','integration':'Shop','environments':[],"
                    + "'grants':[{'id':'g1','partnerId':'p1','environment':'dev','topic':'app/order/*','scopes':['send'],'status':'approved'}]}",
    })
    void meIsOneObject(String description, int grants, String expected) {
        PartnerSelfService.Me partner = new PartnerSelfService.Me("p1", "App", description.isEmpty() ? null : description,
                null, "active", "dev", "Shop", List.of());
        List<GrantView> granted = grants == 0 ? List.of()
                : List.of(new GrantView("g1", "p1", "dev", "app/order/*", List.of("send"), "approved", null, null, null, null));
        assertEquals(expected.replace('\'', '"'), Json.write(new PartnerApiResource.Me(partner, granted)));
    }
}
