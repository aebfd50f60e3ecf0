// The partner's side of private_key_jwt with openid-client, a client library nobody on this project wrote: discovery,
// then a client_credentials grant authenticated by a client assertion it signs itself (RFC 7523) with each key.
// Run by PartnerKeysIT with its configuration as JSON in ENSYNC_KEYS_TEST; prints one JSON line:
// {"tokens":[…access tokens…],"unregisteredError":"…","secretError":"…"}.
import * as client from 'openid-client';

const config = JSON.parse(process.env.ENSYNC_KEYS_TEST);

async function discover(auth) {
  // The test Keycloak speaks plain HTTP on localhost.
  return client.discovery(new URL(config.issuer), config.clientId, undefined, auth,
    { execute: [client.allowInsecureRequests] });
}

async function privateKey(jwk) {
  const algorithm = jwk.kty === 'EC'
    ? { name: 'ECDSA', namedCurve: 'P-256' }
    : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const key = await crypto.subtle.importKey('jwk', jwk, algorithm, false, ['sign']);
  return { key, kid: jwk.kid };
}

async function errorOf(promise) {
  try {
    await promise;
    return 'none';
  } catch (e) {
    return e.error ?? e.cause?.error ?? String(e.message ?? e);
  }
}

const tokens = [];
for (const jwk of config.keys) {
  const as = await discover(client.PrivateKeyJwt(await privateKey(jwk)));
  const answer = await client.clientCredentialsGrant(as, { scope: config.scope });
  tokens.push(answer.access_token);
}
const stranger = await discover(client.PrivateKeyJwt(await privateKey(config.unregistered)));
const unregisteredError = await errorOf(client.clientCredentialsGrant(stranger, { scope: config.scope }));
const withSecret = await discover(client.ClientSecretPost(config.clientSecret));
const secretError = await errorOf(client.clientCredentialsGrant(withSecret, { scope: config.scope }));

process.stdout.write(JSON.stringify({ tokens, unregisteredError, secretError }) + '\n');
