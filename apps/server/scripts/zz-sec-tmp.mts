import { startTestApp } from '../test/helpers/test-app.ts';
import { startFakeCrm } from '../test/helpers/fake-crm.ts';
import { directTools } from '../test/helpers/direct-tools.ts';
import { crmTools } from '../src/features/crm/index.ts';
import { selectEndpointWithSecret } from '../src/features/crm/store.ts';
import { targetOf } from '../src/features/crm/connector.ts';
import { exchangeWithCrm } from '../src/features/crm/exchange.ts';
import { recordCallSuccess } from '../src/features/crm/health-record.ts';

const app = await startTestApp();
const crm = await startFakeCrm();
const { shopId } = await app.createShop();
await directTools(crmTools, app.deps, shopId).apply('update_crm_endpoints', {
  add_crm_endpoint: { type: 'sidePanel_CustomerInfo', url: crm.urlFor('sidePanel_CustomerInfo'), token: 'abcd1234' },
});
const t: Record<string, number[]> = { select: [], target: [], exchange: [], record: [] };
for (let i = 0; i < 1200; i++) {
  if (i === 800) for (const v of Object.values(t)) v.length = 0;
  let s = performance.now();
  const stored = (await selectEndpointWithSecret(app.deps.db, shopId, 'sidePanel_CustomerInfo'))!;
  t.select!.push(performance.now() - s); s = performance.now();
  const target = targetOf(app.deps, stored);
  t.target!.push(performance.now() - s); s = performance.now();
  const { result } = await exchangeWithCrm(app.deps, target, 'sidePanel_CustomerInfo', { phone: '+34655123987' });
  if (!result.ok) throw new Error('x');
  t.exchange!.push(performance.now() - s); s = performance.now();
  await recordCallSuccess(app.deps, stored.endpoint);
  t.record!.push(performance.now() - s);
}
const stored0 = (await selectEndpointWithSecret(app.deps.db, shopId, 'sidePanel_CustomerInfo'))!;
const target0 = targetOf(app.deps, stored0);
const alone: number[] = [];
for (let i = 0; i < 400; i++) { const s = performance.now(); await exchangeWithCrm(app.deps, target0, 'sidePanel_CustomerInfo', { phone: '+34655123987' }); alone.push(performance.now() - s); }
alone.sort((a, b) => a - b); console.log('exch alone', alone[200]!.toFixed(3));
const plain: number[] = [];
for (let i = 0; i < 400; i++) { await selectEndpointWithSecret(app.deps.db, shopId, 'sidePanel_CustomerInfo'); const s = performance.now(); await app.deps.outbound.request({url: crm.urlFor('sidePanel_CustomerInfo'), method: 'GET'}); plain.push(performance.now() - s); }
plain.sort((a, b) => a - b); console.log('outbound after select', plain[200]!.toFixed(3));
for (const [n, v] of Object.entries(t)) { v.sort((a, b) => a - b); console.log(n.padEnd(10), v[200]!.toFixed(3)); }
await crm.close(); await app.close();
