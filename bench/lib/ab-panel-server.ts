/**
 * The panel benchmark's server as a child process of bench/ab/bundle-ab.ts, which bundles this file once
 * per variant (bundle-variant.ts) and runs it with plain node, as `npm start` runs dist/main.js: Parley
 * on a fresh PGlite data dir with the demo shop's `sidePanel_CustomerInfo` endpoint at `CRM_URL`.
 * It sends `{ base, token }` when listening, then answers each 'cpu' message with its main thread's
 * CPU time so far (ns), and closes on 'close'.
 */
import { applyCrmEndpointChange } from '../../apps/server/src/features/crm/index.ts';
import { crmEndpointDefinition } from '../../packages/contract/src/index.ts';
import { startParley } from './parley.ts';
import { mainThreadCpuNs } from './thread-cpu.ts';

const crmUrl = process.env.CRM_URL;
if (crmUrl === undefined || process.send === undefined) {
  throw new Error('run by bench/ab/bundle-ab.ts: CRM_URL and an IPC channel are needed');
}
const send = (message: unknown) => process.send?.(message);

const parley = await startParley('pglite', { env: { PARLEY_DISABLE_DEMO: 'false' } });
const { runtime } = parley;
const demo = runtime.firstStart?.demoShop;
if (demo === undefined) throw new Error('the fresh data dir should have created the demo shop');
await applyCrmEndpointChange(runtime.deps, demo.id, {
  add: crmEndpointDefinition.parse({ type: 'sidePanel_CustomerInfo', url: `${crmUrl}/crm/customer` }),
});
const base = await runtime.app.listen({ port: 0, host: '127.0.0.1' });
process.on('message', (message) => {
  if (message === 'cpu') send({ cpuNs: mainThreadCpuNs() });
  if (message === 'close') void parley.close().then(() => process.disconnect());
});
send({ base, token: demo.token });
