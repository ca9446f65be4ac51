import { request as httpRequest } from 'node:http';
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
const url = crm.urlFor('sidePanel_CustomerInfo') + '?phone=%2B34655123987&token=abcd1234';
const raw = () =>
  new Promise<void>((resolve, reject) => {
    const req = httpRequest(url, { agent: false, headers: { accept: 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => { JSON.parse(Buffer.concat(chunks).toString()); resolve(); });
    });
    req.on('error', reject);
    req.end();
  });
const outbound = () => app.deps.outbound.request({ url, method: 'GET' }).then(() => undefined);
const connector = async () => {
  const o = await callCrmEndpoint(app.deps, shopId, 'sidePanel_CustomerInfo', { phone: '+34655123987', relatedphones: [] });
  if (o.status !== 'ok') throw new Error(JSON.stringify(o));
};
const p50 = (t: number[]) => [...t].sort((a, b) => a - b)[Math.ceil(0.5 * t.length) - 1]!;
const fns: Record<string, () => Promise<void>> = { raw, outbound, connector };
const times: Record<string, number[]> = { raw: [], outbound: [], connector: [] };
for (let i = 0; i < 100; i++) for (const fn of Object.values(fns)) await fn();
for (let i = 0; i < 1500; i++) {
  if (i % 500 === 0) { for (const [n, t] of Object.entries(times)) { if (t.length) console.log(i, n, p50(t).toFixed(3)); t.length = 0; } }
  for (const [name, fn] of Object.entries(fns)) {
    const s = performance.now(); await fn(); times[name]!.push(performance.now() - s);
  }
}

for (const [name, t] of Object.entries(times)) console.log(name.padEnd(10), 'p50', p50(t).toFixed(3), 'ms');
console.log('connector - raw', (p50(times.connector!) - p50(times.raw!)).toFixed(3), 'ms; connector - outbound', (p50(times.connector!) - p50(times.outbound!)).toFixed(3), 'ms', app.deps.databaseKind);
crm.requests.length = 0;
await crm.close();
await app.close();
