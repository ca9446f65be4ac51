import { startTestApp } from '../test/helpers/test-app.ts';
import { startFakeCrm } from '../test/helpers/fake-crm.ts';
import { directTools } from '../test/helpers/direct-tools.ts';
import { callCrmEndpoint, crmTools } from '../src/features/crm/index.ts';

const app = await startTestApp();
const crm = await startFakeCrm();
const { shopId } = await app.createShop();
await directTools(crmTools, app.deps, shopId).apply('update_crm_endpoints', {
  add_crm_endpoint: { type: 'sidePanel_CustomerInfo', url: crm.urlFor('sidePanel_CustomerInfo'), token: 'abcd1234' },
});
const params = process.argv[2] === 'rel' ? { phone: '+34655123987', relatedphones: [] } : { phone: '+34655123987' };
const t: number[] = [];
for (let i = 0; i < 1200; i++) {
  if (i === 600) t.length = 0;
  const s = performance.now();
  const o = await callCrmEndpoint(app.deps, shopId, 'sidePanel_CustomerInfo', params);
  if (o.status !== 'ok') throw new Error(JSON.stringify(o));
  t.push(performance.now() - s);
}
t.sort((a, b) => a - b); console.log(process.argv[2], 'connector p50', t[300]!.toFixed(3));
await crm.close(); await app.close();
