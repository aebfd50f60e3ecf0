// Verifies webhook deliveries with the Standard Webhooks reference library (npm standardwebhooks); run by WebhookIT.
// Input: ENSYNC_WEBHOOK_CASES, a JSON array of {secret, headers: {webhook-id, webhook-timestamp, webhook-signature}, body}.
// Output: one JSON line {"verified": n, "failures": [{id, error}]}.
import { createRequire } from "node:module";

const { Webhook } = createRequire(import.meta.url)("standardwebhooks");
const cases = JSON.parse(process.env.ENSYNC_WEBHOOK_CASES);
let verified = 0;
const failures = [];
for (const c of cases) {
  try {
    new Webhook(c.secret).verify(c.body, c.headers);
    verified++;
  } catch (e) {
    failures.push({ id: c.headers["webhook-id"], error: String(e) });
  }
}
console.log(JSON.stringify({ verified, failures }));
