import { startTestApp } from '../test/helpers/test-app.ts';
import { startFakeCrm } from '../test/helpers/fake-crm.ts';
import { directTools } from '../test/helpers/direct-tools.ts';
import { callCrmEndpoint, crmTools } from '../src/features/crm/index.ts';
import { selectEndpointWithSecret } from '../src/features/crm/store.ts';
import { targetOf } from '../src/features/crm/connector.ts';
import { exchangeWithCrm } from '../src/features/crm/exchange.ts';
import { recordCallSuccess } from '../src/features/crm/health-record.ts';
import { recordCrmLatency } from '../src/features/crm/latency.ts';

const app = await startTestApp();
const crm = await startFakeCrm();
const { shopId } = await app.createShop();
await directTools(crmTools, app.deps, shopId).apply('update_crm_endpoints', {
  add_crm_endpoint: { type: 'sidePanel_CustomerInfo', url: crm.urlFor('sidePanel_CustomerInfo'), token: 'abcd1234' },
});
const params = { phone: '+34655123987' };
async function copy() {
  const stored = (await selectEndpointWithSecret(app.deps.db, shopId, 'sidePanel_CustomerInfo'))!;
  const { result } = await exchangeWithCrm(app.deps, targetOf(app.deps, stored), 'sidePanel_CustomerInfo', params);
  recordCrmLatency(shopId, 'sidePanel_CustomerInfo', result.latencyMs);
  if (result.ok) await recordCallSuccess(app.deps, stored.endpoint);
}
const real = () => callCrmEndpoint(app.deps, shopId, 'sidePanel_CustomerInfo', params);
for (const [name, fn] of [['copy', copy], ['real', real], ['copy', copy], ['real', real]] as const) {
  const t: number[] = [];
  for (let i = 0; i < 600; i++) { const s = performance.now(); await fn(); t.push(performance.now() - s); }
  t.sort((a, b) => a - b); console.log(name, t[300]!.toFixed(3));
}
await crm.close(); await app.close();
