/**
 * `npm run webhook-receiver`: runs the example receiver and prints one line per request.
 * Settings: SECRET (required: the webhook_secret given to configure_webhooks), PORT (8789),
 * HOST (127.0.0.1).
 */
import { startWebhookReceiverExample, type ReceiverLogEntry } from './server.ts';

function stop(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

const secret = process.env.SECRET ?? '';
if (secret === '') {
  // EX_CONFIG, as Parley itself: a receiver that cannot verify must not accept anything.
  stop(
    'Set SECRET to the webhook_secret you give configure_webhooks (for example SECRET=whsec_… or any string).',
    78,
  );
}
const portText = process.env.PORT ?? '8789';
const port = Number(portText);
if (!/^\d{1,5}$/.test(portText) || port > 65535)
  stop(`PORT must be a port number (0-65535), got ${JSON.stringify(portText)}`, 78);
const host = process.env.HOST ?? '127.0.0.1';

function describe(entry: ReceiverLogEntry): string {
  if (entry.outcome === 'rejected') return `${entry.status} rejected  ${entry.code}: ${entry.message}`;
  const { event } = entry;
  if (entry.outcome === 'duplicate') {
    return `${entry.status} duplicate ${event.id} ${event.event}, delivery ${event.deliveries}: handled already`;
  }
  return `${entry.status} accepted  ${event.id} ${event.event} attempt ${event.attempt} ${JSON.stringify(event.payload.data)}`;
}

const receiver = await startWebhookReceiverExample({
  port,
  host,
  secret,
  onRequest: (entry) => console.log(`${new Date().toISOString()} ${describe(entry)}`),
}).catch((error: NodeJS.ErrnoException) => {
  if (error.code !== 'EADDRINUSE') throw error;
  return stop(`${host}:${port} is in use; set PORT to a free port.`, 75); // EX_TEMPFAIL
});
const { host: hostAndPort } = new URL(receiver.url);

console.log(
  [
    `Webhook receiver listening on ${receiver.url}`,
    '',
    `Parley refuses private targets unless allowed: start it with PARLEY_ALLOW_PRIVATE_TARGETS=${hostAndPort}`,
    'Then call the MCP tool configure_webhooks with:',
    JSON.stringify({
      webhook_enabled: true,
      webhook_url: receiver.url,
      webhook_secret: '<the same SECRET>',
      webhook_events: ['phone.detected'],
      confirm: true,
    }),
    'and test_webhook to send a signed test event.',
    '',
  ].join('\n'),
);

const shutdown = () => void receiver.close().then(() => process.exit(0));
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
