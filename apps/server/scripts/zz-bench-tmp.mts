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
const fns: Record<string, () => Promise<void>> = { raw, outbound, connector };
for (let round = 0; round < 3; round++) {
  for (const [name, fn] of Object.entries(fns)) {
    for (let i = 0; i < 200; i++) await fn();
    const n = 1000;
    const cpu = process.cpuUsage();
    const wall = performance.now();
    for (let i = 0; i < n; i++) await fn();
    const used = process.cpuUsage(cpu);
    console.log(round, name.padEnd(10), 'cpu/call', ((used.user + used.system) / n / 1000).toFixed(3), 'ms', 'wall/call', ((performance.now() - wall) / n).toFixed(3), 'ms', app.deps.databaseKind);
  }
}
crm.requests.length = 0;
await crm.close();
await app.close();
