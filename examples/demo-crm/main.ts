/**
 * `npm run demo-crm`: runs the demo CRM on its own and prints what to paste into Parley.
 * Settings (all optional): DEMO_CRM_PORT (8788), DEMO_CRM_HOST (127.0.0.1),
 * DEMO_CRM_SIGNING_SECRET (the shop's request_signing_secret), DEMO_CRM_TOKEN.
 */
import { demoCrmEndpoints } from './endpoints.ts';
import { startDemoCrm } from './server.ts';

const blankToUndefined = (value: string | undefined) =>
  value === undefined || value === '' ? undefined : value;

const portText = process.env.DEMO_CRM_PORT ?? '8788';
const port = Number(portText);
if (!/^\d{1,5}$/.test(portText) || port > 65535) {
  process.stderr.write(`DEMO_CRM_PORT must be a port number (0-65535), got ${JSON.stringify(portText)}\n`);
  process.exit(78); // EX_CONFIG, as Parley itself
}
const host = process.env.DEMO_CRM_HOST ?? '127.0.0.1';
const signingSecret = blankToUndefined(process.env.DEMO_CRM_SIGNING_SECRET);
const token = blankToUndefined(process.env.DEMO_CRM_TOKEN);

const crm = await startDemoCrm({
  port,
  host,
  signingSecret,
  token,
  // The path only: a query string may carry a CRM token (the `token` parameter).
  onRequest: ({ method, target, status, error }) =>
    console.log(`${method} ${target.split('?', 1)[0]} → ${status}${error === undefined ? '' : ` ${error}`}`),
}).catch((error: NodeJS.ErrnoException) => {
  if (error.code !== 'EADDRINUSE') throw error;
  // `npm start` runs its own demo CRM on 8788, the usual owner of this port.
  process.stderr.write(
    `${host}:${port} is in use (by Parley's own demo CRM?); set DEMO_CRM_PORT to a free port.\n`,
  );
  process.exit(75); // EX_TEMPFAIL
});
const { host: hostAndPort } = new URL(crm.url);

console.log(
  [
    `Demo CRM (fake data) listening on ${crm.url}`,
    signingSecret === undefined
      ? 'Signature check: off. Set DEMO_CRM_SIGNING_SECRET to the request_signing_secret of get_crm_endpoints to refuse unsigned calls.'
      : 'Signature check: on (DEMO_CRM_SIGNING_SECRET).',
    `Token check: ${token === undefined ? 'off (set DEMO_CRM_TOKEN to require one)' : 'on (DEMO_CRM_TOKEN)'}.`,
    '',
    `Parley refuses private targets unless allowed: start it with PARLEY_ALLOW_PRIVATE_TARGETS=${hostAndPort}`,
    'Then call the MCP tool update_crm_endpoints once with each of these arguments:',
    ...demoCrmEndpoints(crm.url, token).map((definition) =>
      JSON.stringify({ add_crm_endpoint: definition, confirm: true }),
    ),
    '',
    `Try it: curl '${crm.url}/crm/sidePanel_CustomerInfo?phone=%2B34655123987${token === undefined ? '' : `&token=${encodeURIComponent(token)}`}'${signingSecret === undefined ? '' : ' (refused: curl does not sign)'}`,
    '',
  ].join('\n'),
);

const stop = () => void crm.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
