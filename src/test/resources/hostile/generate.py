#!/usr/bin/env python3
"""Writes corpus.json: hostile requests against every JSON endpoint of the extension (HostileInputIT sends them).

Kept as data so that reviewers can read what is tried; this script only makes it reproducible. Placeholders in
paths: {realm}, {integrationId} (it takes access requests), {partnerId}, {grantId}, {accessRequestId} (a verified,
pending access request to it). Principals: none, key (the integration's key), admin,
viewer (view-clients only), partner (a dev token of the partner), bogus (a made-up bearer).
None of the cases may change state: every one is malformed, unauthorised, or aimed at an id that does not exist.
"""
import json

EXT = "/realms/{realm}/ensync/api/v1/external"
PAR = "/realms/{realm}/ensync/api/v1/partner"
ADM = "/admin/realms/{realm}/ensync"

INJECTIONS = [
    "' OR '1'='1", "'; DROP TABLE ENSYNC_PARTNER; --", "\" OR 1=1 --", "*)(uid=*))(|(uid=*", "${7*7}", "#{7*7}",
    "<#assign x=\"freemarker.template.utility.Execute\"?new()>${x(\"id\")}", "{{7*7}}", "<script>alert(1)</script>",
    "../../../../etc/passwd", "%00", "\u0000", "\u202e\u0041", "\ud800", "A" * 5000, "\u0007bell", "$(id)", "`id`",
    "${jndi:ldap://127.0.0.1/a}", "\r\nSet-Cookie: x=1",
]

BAD_IDS = [
    "..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f", "' OR '1'='1", "00000000-0000-0000-0000-000000000000", "x" * 300,
    "%00", "*", "%252e%252e", "null", "-1",
]

cases = []


def case(name, method, path, auth, body=None, content_type="application/json", expect=None, repeat=None, status=None,
         allow=None, code=None, field=None):
    # "4xx": a 4xx with the extension's JSON error. "framework": refused before the extension's code runs (Keycloak's
    # admin authentication, its refusal of paths that are not normalized (%2e is a dot) and of NUL bytes in query
    # strings, multipart parsing): any 4xx, never a 5xx. Other odd ids (%2F, %00, %25, *) reach the extension.
    # status / allow: the exact status and Allow header, where they are the point of the case; code / field: the
    # exact error.code and error.field (cases the fuzzer found, FuzzIT). "read": a GET that must answer exactly
    # `status` (a success included), never a 5xx.
    if expect is None:
        expect = "framework" if "%2e" in path or "=%00" in path else "4xx"
    c = {"name": name, "method": method, "path": path, "auth": auth, "expect": expect}
    if status is not None:
        c["status"] = status
    if allow is not None:
        c["allow"] = allow
    if code is not None:
        c["code"] = code
    if field is not None:
        c["field"] = field
    if body is not None:
        c["body"] = body
        c["contentType"] = content_type
    if repeat is not None:
        c["repeat"] = repeat
    cases.append(c)


def bodies(prefix, fields):
    """Structural attacks on a JSON body whose known string fields are `fields`."""
    f = fields[0]
    yield prefix + " unknown field", json.dumps({f: "x", "isAdmin": True})
    yield prefix + " duplicate key", '{"%s":"a","%s":"b"}' % (f, f)
    yield prefix + " array", "[]"
    yield prefix + " string", '"text"'
    yield prefix + " number", "42"
    yield prefix + " null", "null"
    yield prefix + " truncated", '{"%s":' % f
    yield prefix + " trailing garbage", '{} {}'
    yield prefix + " invalid utf-8 escape", '{"%s":"\\ud800"}' % f
    yield prefix + " deep nesting", "[" * 5000 + "]" * 5000
    yield prefix + " deep object", '{"a":' * 2000 + "1" + "}" * 2000
    yield prefix + " huge number", '{"%s":1%s}' % (f, "0" * 400)
    yield prefix + " wrong type int", json.dumps({f: 7})
    yield prefix + " wrong type bool", json.dumps({f: True})
    yield prefix + " wrong type object", json.dumps({f: {"a": 1}})
    yield prefix + " wrong type array", json.dumps({f: ["a"]})
    yield prefix + " comment", '{/* c */"%s":"a"}' % f
    yield prefix + " single quotes", "{'%s':'a'}" % f
    yield prefix + " NaN", '{"%s":NaN}' % f
    for i, s in enumerate(INJECTIONS):
        if fields == ["topic", "scopes"]:
            yield prefix + " injection %d" % i, json.dumps({"topic": s, "scopes": ["send"]})
        elif f == "name":
            # a bad value with an unknown field beside it: refused as a whole, whatever the value
            yield prefix + " injection %d" % i, json.dumps({"name": s, "injected": s})
        else:
            yield prefix + " injection %d" % i, json.dumps({f: s, "injected": s})


# The partner endpoint: bodies, content types, sizes, credentials.
for name, body in bodies("partner", ["appName", "appDescription"]):
    case(name, "POST", EXT + "/partner", "key", body)
for name, body in [
    ("metadata injection key", json.dumps({"metadata": {"$where": "1"}})),
    ("metadata proto key", json.dumps({"metadata": {"__proto__": {"x": 1}}})),
    ("metadata template value", json.dumps({"metadata": {"color": "${7*7}"}})),
    ("metadata javascript icon", json.dumps({"metadata": {"icon": "javascript:alert(1)"}})),
    ("metadata data icon", json.dumps({"metadata": {"icon": "data:image/png;base64,AAAA"}})),
    ("metadata file icon", json.dumps({"metadata": {"icon": "file:///etc/passwd"}})),
    ("metadata tags object", json.dumps({"metadata": {"tags": {"a": 1}}})),
    ("metadata too many keys", json.dumps({"metadata": {("k%d" % i): i for i in range(40)}})),
    ("metadata too deep", json.dumps({"metadata": {"a": {"b": {"c": {"d": {"e": 1}}}}}})),
    ("metadata control char value", json.dumps({"metadata": {"owner": "a\u0001b"}})),
]:
    case(name, "POST", EXT + "/partner", "key", body)
for ct in ["text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
           "application/json; charset=latin1", "*/*", "application/*", ""]:
    # multipart and wildcard types: refused before the framework parses the body (EarlyRefusals), with the API's 415
    exact = ct.startswith("multipart/") or ct.startswith("*")
    case("partner content type " + (ct or "(none)"), "POST", EXT + "/partner", "key", '{"appName":"A"}', content_type=ct or None,
         **(dict(status=415, code="unsupported_media_type", field="Content-Type") if exact else {}))
case("partner oversize body", "POST", EXT + "/partner", "key", '{"appDescription":"', repeat={"text": "x", "times": 70000, "suffix": '"}'})
case("partner oversize metadata", "POST", EXT + "/partner", "key", '{"metadata":{"owner":"', repeat={"text": "y", "times": 9000, "suffix": '"}}'})
for auth in ["none", "bogus", "viewer", "partner"]:
    case("partner endpoint as " + auth, "POST", EXT + "/partner", auth, '{"appName":"A"}')
    case("partner list as " + auth, "GET", EXT + "/partner", auth)
for bad in ["Basic xyz", "Bearer", "Bearer  ", "bearer ensync_ik_short", "Bearer ensync_ik_" + "A" * 43 + " extra",
            "Token ensync_ik_" + "A" * 43]:
    case("partner raw authorization " + bad[:20], "POST", EXT + "/partner", "raw:" + bad, '{"appName":"A"}')
case("partner bad idempotency key", "POST", EXT + "/partner", "key", '{"appName":"A"}', expect="4xx")
cases[-1]["headers"] = {"Idempotency-Key": "has space"}
case("partner long idempotency key", "POST", EXT + "/partner", "key", '{"appName":"A"}')
cases[-1]["headers"] = {"Idempotency-Key": "k" * 300}

# Integration-key endpoints with hostile ids.
for i, bad in enumerate(BAD_IDS):
    case("partner get bad id %d" % i, "GET", EXT + "/partner/" + bad, "key")
    case("partner link bad id %d" % i, "POST", EXT + "/partner/" + bad + "/link", "key")
    case("partner delete bad id %d" % i, "DELETE", EXT + "/partner/" + bad, "key")
    case("redeem bad link %d" % i, "POST", PAR + "/links/" + bad + "/redeem", "none")
for q in ["first=-1", "max=0", "max=100000", "first=abc", "max=1e3", "first=9999999999999"]:
    case("partner list query " + q, "GET", EXT + "/partner?" + q, "key")
for name, body in [("redeem with fields", '{"x":1}'), ("redeem array", "[]"), ("redeem malformed", "{")]:
    case(name, "POST", PAR + "/links/" + "A" * 43 + "/redeem", "none", body)

# The partner API with the partner's token.
for name, body in bodies("grant", ["topic", "scopes"]):
    case(name, "POST", PAR + "/me/grants", "partner", body)
for name, body in [
    ("grant scopes string", json.dumps({"topic": "app/order/x", "scopes": "send"})),
    ("grant scopes unknown", json.dumps({"topic": "app/order/x", "scopes": ["publish"]})),
    ("grant scopes duplicate", json.dumps({"topic": "app/order/x", "scopes": ["send", "send"]})),
    ("grant scopes empty", json.dumps({"topic": "app/order/x", "scopes": []})),
    ("grant outside catalog", json.dumps({"topic": "secret/admin/x", "scopes": ["send"]})),
    ("grant everything", json.dumps({"topic": "*", "scopes": ["send", "receive"]})),
    ("grant wildcard middle", json.dumps({"topic": "app/*/x", "scopes": ["send"]})),
    ("grant traversal", json.dumps({"topic": "app/../x", "scopes": ["send"]})),
]:
    case(name, "POST", PAR + "/me/grants", "partner", body)
for name, body in [("rotate revoke string", '{"revokePrevious":"yes"}'), ("rotate unknown field", '{"force":true}'),
                   ("rotate array", "[]"), ("rotate duplicate", '{"revokePrevious":true,"revokePrevious":false}'),
                   ("rotate malformed", '{"revokePrevious":'), ("rotate multipart", "--x--")]:
    case(name, "POST", PAR + "/me/secret", "partner", body)
# Public keys instead of the secret (PUT /me/keys, SPEC §14): every bad key is a 400 naming its member.
RSA_N = ("0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3o"
         "knjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6"
         "qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awap"
         "JzKnqDKgw")  # RFC 7638's example key, 2048 bits
RSA = {"kty": "RSA", "kid": "r1", "n": RSA_N, "e": "AQAB"}
EC = {"kty": "EC", "kid": "e1", "crv": "P-256", "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
      "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}  # RFC 7515 A.3
RSA_1024_N = "A" * 2 + "B" * 168 + "Q"  # 128 bytes, odd
for name, keys, field in [
    ("keys rsa private d", [RSA, dict(RSA, kid="r2", d="AQAB")], "keys[1].d"),
    ("keys rsa private crt", [dict(RSA, p="AQAB", q="AQAB", dp="AQAB", dq="AQAB", qi="AQAB")], "keys[0].p"),
    ("keys ec private d", [dict(EC, d="AQAB")], "keys[0].d"),
    ("keys oct with k", [{"kty": "oct", "k": "c2VjcmV0"}], "keys[0].k"),
    ("keys oct", [{"kty": "oct", "kid": "hmac"}], "keys[0].kty"),
    ("keys rsa 1024", [dict(RSA, n=RSA_1024_N)], "keys[0].n"),
    ("keys rsa 512", [dict(RSA, n="A" + "B" * 84 + "Q")], "keys[0].n"),
    ("keys rsa even modulus", [dict(RSA, n=RSA_N[:-1] + "A")], "keys[0].n"),
    ("keys rsa exponent 1", [dict(RSA, e="AQ")], "keys[0].e"),
    ("keys rsa huge exponent", [dict(RSA, e="_" * 60)], "keys[0].e"),
    ("keys rsa n not base64url", [dict(RSA, n="not+base64/url==")], "keys[0].n"),
    ("keys rsa n number", [dict(RSA, n=12345)], "keys[0].n"),
    ("keys rsa n injection", [dict(RSA, n="' OR '1'='1")], "keys[0].n"),
    ("keys rsa without e", [{"kty": "RSA", "n": RSA_N}], "keys[0].e"),
    ("keys rsa with crv", [dict(RSA, crv="P-256")], "keys[0].crv"),
    ("keys rsa alg hs256", [dict(RSA, alg="HS256")], "keys[0].alg"),
    ("keys rsa alg none", [dict(RSA, alg="none")], "keys[0].alg"),
    ("keys use enc", [dict(RSA, use="enc")], "keys[0].use"),
    ("keys key_ops sign only", [dict(RSA, key_ops=["sign"])], "keys[0].key_ops"),
    ("keys kid too long", [dict(RSA, kid="k" * 200)], "keys[0].kid"),
    ("keys kid control char", [dict(RSA, kid="a\nb")], "keys[0].kid"),
    ("keys ec p-384", [dict(EC, crv="P-384", x="A" * 64, y="A" * 64)], "keys[0].crv"),
    ("keys ec p-192", [dict(EC, crv="P-192")], "keys[0].crv"),
    ("keys ec secp256k1", [dict(EC, crv="secp256k1")], "keys[0].crv"),
    ("keys ec off the curve", [dict(EC, y=EC["x"])], "keys[0].y"),
    ("keys ec zero point", [dict(EC, x="A" * 43, y="A" * 43)], "keys[0].y"),
    ("keys ec short x", [dict(EC, x="AQAB")], "keys[0].x"),
    ("keys ec alg es384", [dict(EC, alg="ES384")], "keys[0].alg"),
    ("keys okp", [{"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}], "keys[0].kty"),
    ("keys kty missing", [{"n": RSA_N, "e": "AQAB"}], "keys[0].kty"),
    ("keys unknown member", [dict(RSA, admin=True)], "keys[0].admin"),
    ("keys same key twice", [RSA, dict(RSA, kid="r2")], "keys[1]"),
    ("keys same kid twice", [RSA, dict(EC, kid="r1")], "keys[1].kid"),
    ("keys three", [RSA, EC, dict(EC, kid="e2", x="MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4",
                                   y="4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM")], "keys"),
    ("keys empty", [], "keys"),
    ("keys element string", ["{}"], "keys[0]"),
    ("keys element null", [None], "keys[0]"),
]:
    case(name, "PUT", PAR + "/me/keys", "partner", json.dumps({"keys": keys}), status=400, field=field)
for name, body, field in [
    ("keys not a list", '{"keys":{"kty":"RSA"}}', "keys"),
    ("keys missing", "{}", "keys"),
    ("keys a bare jwk", json.dumps(RSA), "kty"),
    ("keys duplicate member", '{"keys":[{"kty":"RSA","kty":"EC"}]}', None),
    ("keys jwks url not allowed", '{"jwksUrl":"https://keys.example.com/jwks.json"}', "jwksUrl"),
    ("keys jwks url on loopback", '{"jwksUrl":"http://127.0.0.1:8080/jwks"}', "jwksUrl"),
    ("keys and jwks url", json.dumps({"keys": [RSA], "jwksUrl": "https://keys.example.com/jwks.json"}), "jwksUrl"),
]:
    case(name, "PUT", PAR + "/me/keys", "partner", body, status=400, field=field)
for name, body in bodies("keys", ["keys"]):
    case(name, "PUT", PAR + "/me/keys", "partner", body)
case("keys delete without keys", "DELETE", PAR + "/me/keys", "partner", status=409)
for auth in ["none", "bogus", "key"]:
    case("keys read as " + auth, "GET", PAR + "/me/keys", auth)
    case("keys put as " + auth, "PUT", PAR + "/me/keys", auth, json.dumps({"keys": [EC]}))
    case("keys delete as " + auth, "DELETE", PAR + "/me/keys", auth)
for auth in ["none", "bogus", "key"]:
    case("me as " + auth, "GET", PAR + "/me", auth)
    case("rotate as " + auth, "POST", PAR + "/me/secret", auth, "{}")
    case("grants as " + auth, "POST", PAR + "/me/grants", auth, '{"topic":"app/order/x","scopes":["send"]}')
    case("promotion as " + auth, "POST", PAR + "/me/promotion", auth, "{}")
for i, bad in enumerate(BAD_IDS):
    case("withdraw bad id %d" % i, "DELETE", PAR + "/me/grants/" + bad, "partner")
case("promotion with fields", "POST", PAR + "/me/promotion", "partner", '{"to":"prod"}')
case("history bad paging", "GET", PAR + "/me/history?max=-3", "partner")

# Admin API.
for name, body in bodies("integration", ["name", "description"]):
    case(name, "POST", ADM + "/integrations", "admin", body)
for name, body in [
    ("integration env unknown", json.dumps({"name": "n", "environments": ["qa"]})),
    ("integration env duplicate", json.dumps({"name": "n", "environments": ["dev", "dev"]})),
    ("integration ttl negative", json.dumps({"name": "n", "linkTtlSeconds": -1})),
    ("integration ttl huge", json.dumps({"name": "n", "linkTtlSeconds": 10 ** 12})),
    ("integration origin path", json.dumps({"name": "n", "allowedEmbedOrigins": ["https://a.example/x"]})),
    ("integration origin javascript", json.dumps({"name": "n", "allowedEmbedOrigins": ["javascript:alert(1)"]})),
    ("integration origin star", json.dumps({"name": "n", "allowedEmbedOrigins": ["*"]})),
    ("integration topic pattern bad", json.dumps({"name": "n", "topics": [{"pattern": "a b", "send": True}]})),
    ("integration topic no scope", json.dumps({"name": "n", "topics": [{"pattern": "a/b"}]})),
    ("integration topic dup", json.dumps({"name": "n", "topics": [{"pattern": "a/b", "send": True}, {"pattern": "a/b", "send": True}]})),
    ("integration topics many", json.dumps({"name": "n", "topics": [{"pattern": "a/b%d" % i, "send": True} for i in range(201)]})),
    ("integration policy env", json.dumps({"name": "n", "secretPolicy": {"maxAgeDays": {"qa": 1}}})),
    ("integration policy zero", json.dumps({"name": "n", "secretPolicy": {"maxAgeDays": {"prod": 0}}})),
    ("integration grace negative", json.dumps({"name": "n", "secretPolicy": {"rotationGraceSeconds": -5}})),
    ("integration enabled string", json.dumps({"name": "n", "enabled": "true"})),
]:
    case(name, "POST", ADM + "/integrations", "admin", body)
    case(name + " (update)", "PUT", ADM + "/integrations/{integrationId}", "admin", body)
for ct in ["text/plain", "application/xml", ""]:
    case("integration content type " + (ct or "(none)"), "POST", ADM + "/integrations", "admin", '{"name":"n"}', content_type=ct or None)
case("integration as viewer", "POST", ADM + "/integrations", "viewer", '{"name":"n"}')
case("integration update as viewer", "PUT", ADM + "/integrations/{integrationId}", "viewer", '{"enabled":false}')
case("integration delete as viewer", "DELETE", ADM + "/integrations/{integrationId}", "viewer")
case("key create as viewer", "POST", ADM + "/integrations/{integrationId}/keys", "viewer", "{}")
case("key create bad expiry", "POST", ADM + "/integrations/{integrationId}/keys", "admin", '{"expiresInDays":0}')
case("key create expiry string", "POST", ADM + "/integrations/{integrationId}/keys", "admin", '{"expiresInDays":"30"}')
case("key create unknown field", "POST", ADM + "/integrations/{integrationId}/keys", "admin", '{"key":"mine"}')
for i, bad in enumerate(BAD_IDS):
    case("integration get bad id %d" % i, "GET", ADM + "/integrations/" + bad, "admin")
    case("integration delete bad id %d" % i, "DELETE", ADM + "/integrations/" + bad, "admin")
    case("key revoke bad id %d" % i, "DELETE", ADM + "/integrations/{integrationId}/keys/" + bad, "admin")
    case("grant approve bad id %d" % i, "POST", ADM + "/grants/" + bad + "/approve", "admin", "{}")
    case("promotion deny bad id %d" % i, "POST", ADM + "/promotions/" + bad + "/deny", "admin", "{}")
    case("partner suspend bad id %d" % i, "POST", ADM + "/partners/" + bad + "/suspend", "admin", "{}")
for q in ["status=everything", "first=-2", "max=501"]:
    case("grants query " + q, "GET", ADM + "/grants?" + q, "admin")
    case("partners query " + q, "GET", ADM + "/partners?" + q, "admin")
case("grants query env=qa", "GET", ADM + "/grants?env=qa", "admin")
# NUL bytes (Keycloak itself blocks them in query strings) and non-ids in filters: never to reach the database
for q in ["search=%00", "integration=%00", "integration=not-an-id", "search=" + "s" * 200]:
    case("partners filter " + q[:20], "GET", ADM + "/partners?" + q, "admin")
for q in ["partner=%00", "partner=x"]:
    case("grants filter " + q, "GET", ADM + "/grants?" + q, "admin")
    case("promotions filter " + q, "GET", ADM + "/promotions?" + q, "admin")
case("grant deny bad body", "POST", ADM + "/grants/{grantId}/deny", "admin", '{"reason":7}')
case("grant deny long reason", "POST", ADM + "/grants/{grantId}/deny", "admin", json.dumps({"reason": "r" * 600}))
case("grant approve as viewer", "POST", ADM + "/grants/{grantId}/approve", "viewer", "{}")
case("grant revoke as viewer", "DELETE", ADM + "/grants/{grantId}", "viewer")
case("partner offboard as viewer", "DELETE", ADM + "/partners/{partnerId}", "viewer")
case("admin as integration key", "GET", ADM + "/integrations", "key", expect="framework")
case("admin as partner token", "GET", ADM + "/integrations", "partner", expect="framework")

# Found by the mutation fuzzer (FuzzIT): a null or wrongly typed element of any list, a null value of any map, is
# refused by the strict reader with the element's path, before a service sees it (was a 500: NullPointerException).
for name, body, code, field in [
    ("grant scopes null element", {"topic": "app/order/created", "scopes": [None]}, "invalid_value", "scopes[0]"),
    ("grant scopes second null", {"topic": "app/order/created", "scopes": ["send", None]}, "invalid_value", "scopes[1]"),
    ("grant scopes number element", {"topic": "app/order/created", "scopes": ["send", 5]}, "invalid_type", "scopes[1]"),
    ("grant scopes object element", {"topic": "app/order/created", "scopes": [{"a": 1}]}, "invalid_type", "scopes[0]"),
    ("grant scopes nested array", {"topic": "app/order/created", "scopes": [["send"]]}, "invalid_type", "scopes[0]"),
]:
    case(name, "POST", PAR + "/me/grants", "partner", json.dumps(body), status=400, code=code, field=field)
for name, body, code, field in [
    ("integration environments null element", {"name": "n", "environments": ["dev", None]}, "invalid_value", "environments[1]"),
    ("integration origins null element", {"name": "n", "allowedEmbedOrigins": [None]}, "invalid_value", "allowedEmbedOrigins[0]"),
    ("integration topics null element", {"name": "n", "topics": [None]}, "invalid_value", "topics[0]"),
    ("integration topics string element", {"name": "n", "topics": ["app/*"]}, "invalid_type", "topics[0]"),
    ("integration autoApprove null element", {"name": "n", "topics": [{"pattern": "a/b", "send": True, "autoApprove": [None]}]},
     "invalid_value", "topics[0].autoApprove[0]"),
    ("integration maxAgeDays null value", {"name": "n", "secretPolicy": {"maxAgeDays": {"prod": None}}}, "invalid_value",
     "secretPolicy.maxAgeDays.prod"),
    ("integration maxAgeDays fraction", {"name": "n", "secretPolicy": {"maxAgeDays": {"prod": 1.5}}}, "invalid_type",
     "secretPolicy.maxAgeDays.prod"),
    ("integration ttl fraction", {"name": "n", "linkTtlSeconds": 60.0}, "invalid_type", "linkTtlSeconds"),
]:
    case(name, "POST", ADM + "/integrations", "admin", json.dumps(body), status=400, code=code, field=field)
    case(name + " (update)", "PUT", ADM + "/integrations/{integrationId}", "admin", json.dumps(body), status=400,
         code=code, field=field)

# Found by the fuzzer: first + max wrapped around past 2^31 (history: 500, fromIndex > toIndex); a read, answered 200.
case("history first at int max", "GET", PAR + "/me/history?first=2147483647", "partner", expect="read", status=200)
case("history first at int max, max 500", "GET", PAR + "/me/history?first=2147483647&max=500", "partner", expect="read", status=200)
case("history first past int", "GET", PAR + "/me/history?first=2147483648", "partner", status=400, code="invalid_query", field="first")

# Access requests (SPEC §15): the decision APIs of admins and of the integration, and the public join pages. Hostile
# denial bodies aim at an unknown request (the body is read first, so a well-formed one gets 404 and decides nothing);
# the real pending request meets the wrong principals and bodies the body-less approval refuses.
AR = ADM + "/access-requests"
XAR = EXT + "/access-requests"
UNKNOWN = "00000000-0000-4000-8000-000000000000"
for name, body in bodies("access request deny", ["reason"]):
    case(name, "POST", AR + "/" + UNKNOWN + "/deny", "admin", body)
    case("integration " + name, "POST", XAR + "/" + UNKNOWN + "/deny", "key", body)
case("access request deny reason too long", "POST", AR + "/{accessRequestId}/deny", "admin", json.dumps({"reason": "r" * 501}),
     status=400, code="too_long", field="reason")
case("access request approve with fields", "POST", AR + "/{accessRequestId}/approve", "admin", '{"partnerId":"x"}',
     status=400, code="unknown_field", field="partnerId")
case("access request approve as viewer", "POST", AR + "/{accessRequestId}/approve", "viewer", "{}", status=403)
case("access request approve as partner", "POST", AR + "/{accessRequestId}/approve", "partner", "{}", expect="framework")
for auth in ["none", "bogus", "viewer", "partner"]:
    case("integration access requests as " + auth, "GET", XAR, auth, status=401)
    case("integration access request approve as " + auth, "POST", XAR + "/{accessRequestId}/approve", auth, "{}", status=401)
for i, bad in enumerate(BAD_IDS):
    case("access request get bad id %d" % i, "GET", AR + "/" + bad, "admin")
    case("access request approve bad id %d" % i, "POST", AR + "/" + bad + "/approve", "admin", "{}")
    case("integration access request get bad id %d" % i, "GET", XAR + "/" + bad, "key")
for q in ["status=unverified", "status=everything", "status=%00", "first=-1", "max=501"]:
    case("access request list query " + q, "GET", AR + "?" + q, "admin")
    case("integration access request list query " + q, "GET", XAR + "?" + q, "key")
for q in ["integration=not-an-id", "integration=%00"]:
    case("access request list query " + q, "GET", AR + "?" + q, "admin")

# The join page's form, as a script would send it: without the start cookie its CSRF token is worth nothing (403
# page, nothing stored or mailed), whatever the fields hold; unknown integrations and tokens are 404 pages. "page": a
# refusal answered with a portal page (HTML), not the JSON error.
JOIN = "/realms/{realm}/ensync/portal/join"
FORM = "application/x-www-form-urlencoded"
from urllib.parse import urlencode
for i, s in enumerate(INJECTIONS[:12]):
    case("join form injection %d" % i, "POST", JOIN + "/{integrationId}", "none",
         urlencode({"csrf": s, "appName": s, "appDescription": s, "contactEmail": s}), content_type=FORM, expect="page", status=403)
case("join form no csrf", "POST", JOIN + "/{integrationId}", "none", urlencode({"appName": "A", "contactEmail": "a@b.example"}),
     content_type=FORM, expect="page", status=403)
case("join form json body", "POST", JOIN + "/{integrationId}", "none", '{"appName":"A","contactEmail":"a@b.example"}',
     expect="page", status=403)
case("join form oversize field", "POST", JOIN + "/{integrationId}", "none", "appName=", content_type=FORM, expect="framework",
     repeat={"text": "x", "times": 70000, "suffix": "&contactEmail=a%40b.example"})
for i, bad in enumerate(BAD_IDS):
    if "%2e" not in bad:
        case("join page bad id %d" % i, "GET", JOIN + "/" + bad, "none", expect="page", status=404)
        case("join verify bad token %d" % i, "GET", JOIN + "/verify/" + bad, "none", expect="page", status=404)
case("join verify unknown token", "GET", JOIN + "/verify/ensync_ar_" + "A" * 43, "none", expect="page", status=404)
# Not of a token's shape, so not counted as a guess (the GET above is one, and the corpus has others of link ids).
case("join verify post unknown token", "POST", JOIN + "/verify/ensync_ar_short", "none", "csrf=x", content_type=FORM,
     expect="page", status=404)

# Found by the fuzzer: a Content-Type that is no media type at all made Keycloak's security-headers filter answer 500
# (it parses the request's type for every answer); the extension's roots refuse it first with the API's 415.
for name, method, path, auth in [("partner", "POST", EXT + "/partner", "key"), ("key create", "POST", ADM + "/integrations/{integrationId}/keys", "admin"),
                                 ("grant", "POST", PAR + "/me/grants", "partner"), ("partner list", "GET", EXT + "/partner", "key")]:
    for ct in ["application/json, text/plain", ";;"]:
        case("%s malformed content type %s" % (name, ct), method, path, auth, '{"appName":"A"}', content_type=ct, status=415,
             code="unsupported_media_type", field="Content-Type")

# Found by the fuzzer: what Keycloak answered with a 500 before the extension's code ran, now refused by the extension's
# request filters (EarlyRefusals, FormEscapes) with the envelope: a multipart body on a body-less POST (the form-body handler
# parsed it), a broken %-escape in a form body (the same handler), an admin bearer JWT without iss (AdminRoot read the
# realm from the issuer).
for name, method, path, auth in [("suspend", "POST", ADM + "/partners/{partnerId}/suspend", "admin"),
                                 ("promotion", "POST", PAR + "/me/promotion", "partner"), ("redeem", "POST", PAR + "/links/" + "A" * 43 + "/redeem", "none")]:
    for ct in ["multipart/form-data; boundary=x", "multipart/form-data", "multipart/mixed; boundary=y", "*/*"]:
        case("%s %s malformed body" % (name, ct), method, path, auth, "--x--", content_type=ct, status=415, code="unsupported_media_type",
             field="Content-Type")
for name, method, path, auth, body in [("join form", "POST", JOIN + "/{integrationId}", "none", "csrf=x&%"),
                                       ("join form mid-value", "POST", JOIN + "/{integrationId}", "none", "appName=a%zzb&contactEmail=a%40b.example"),
                                       ("join form half escape", "POST", JOIN + "/{integrationId}", "none", "appName=a%4"),
                                       ("join verify", "POST", JOIN + "/verify/ensync_ar_short", "none", "csrf=%"),
                                       ("portal logout", "POST", "/realms/{realm}/ensync/portal/logout", "none", "csrf=%g0"),
                                       ("partner", "POST", EXT + "/partner", "key", "appName=100%"),
                                       ("suspend", "POST", ADM + "/partners/{partnerId}/suspend", "admin", "%"),
                                       ("grant", "POST", PAR + "/me/grants", "partner", "topic=a%2")]:
    case("%s broken escape in a form body" % name, method, path, auth, body, content_type=FORM, status=400, code="invalid_form")
UNSIGNED = "raw:Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."
for name, method, path, body in [("integrations", "GET", ADM + "/integrations", None), ("integration create", "POST", ADM + "/integrations", '{"name":"n"}'),
                                 ("suspend", "POST", ADM + "/partners/{partnerId}/suspend", None), ("grants", "GET", ADM + "/grants", None)]:
    case("admin %s with a token without iss" % name, method, path, UNSIGNED, body, status=401, code="invalid_token")
# Found by the fuzzer on Keycloak 26.4.7: an unsigned JWT (alg "none") on the partner API was a 500 in Keycloak's bearer
# authenticator (no signature provider for "none"); PartnerCaller refuses it first.
for name, method, path in [("me", "GET", PAR + "/me"), ("grants", "GET", PAR + "/me/grants"),
                           ("grant withdraw", "DELETE", PAR + "/me/grants/{grantId}")]:
    case("partner %s with an unsigned token" % name, method, path, UNSIGNED, status=401, code="invalid_token")
case("admin with a token without iss, lowercase scheme", "GET", ADM + "/integrations", UNSIGNED.replace("Bearer", "bearer"), status=401,
     code="invalid_token")

# Wrong methods on existing paths: the extension's 405, naming the path's methods in Allow.
for method, path, allow in [("PUT", EXT + "/partner", "GET, POST"), ("PATCH", EXT + "/partner", "GET, POST"),
                            ("GET", PAR + "/links/" + "A" * 43 + "/redeem", "POST"), ("PUT", PAR + "/me", "GET"),
                            ("DELETE", PAR + "/me/secret", "POST"), ("PATCH", ADM + "/integrations", "GET, POST"),
                            ("POST", ADM + "/integrations/{integrationId}", "DELETE, GET, PUT"), ("PUT", ADM + "/grants", "GET"),
                            ("GET", EXT + "/partner/{partnerId}/link", "POST"), ("GET", "/realms/{realm}/ensync/portal/logout", "POST")]:
    case("method %s %s" % (method, path.rsplit("/", 1)[-1]), method, path, "admin" if path.startswith(ADM) else "key", "{}",
         status=405, allow=allow)

# Unknown paths under the extension's roots: the extension's 404, whoever asks (admin paths after Keycloak's admin login).
for method, path, auth in [("GET", "/realms/{realm}/ensync", "none"), ("GET", "/realms/{realm}/ensync/api/v1/nope", "none"),
                           ("GET", "/realms/{realm}/ensync/api/v2/external/partner", "key"), ("GET", EXT + "/nope", "key"),
                           ("GET", EXT + "/partnerx", "key"), ("GET", EXT + "/partner/{partnerId}/nope", "key"),
                           ("POST", PAR + "/me/secretx", "partner"), ("DELETE", PAR + "/links/" + "A" * 43, "none"),
                           ("GET", "/realms/{realm}/ensync/portal/nope", "none"), ("GET", ADM, "admin"),
                           ("GET", ADM + "/nope", "admin"), ("DELETE", ADM + "/integrations/{integrationId}/keys/x/y", "admin"),
                           ("GET", ADM + "/nope", "viewer")]:
    case("unknown path %s %s as %s" % (method, path.split("/ensync", 1)[1] or "/", auth), method, path, auth, status=404)

with open("corpus.json", "w") as out:
    json.dump({"about": __doc__.strip(), "cases": cases}, out, indent=1, ensure_ascii=True)
print(len(cases), "cases")
