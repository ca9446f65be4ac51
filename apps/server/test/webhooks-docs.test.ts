// The webhook signature checks that docs/webhooks.md gives integrators are run, exactly as written, against
// deliveries signed by Parley's own signing code (@parley/webhooks): a snippet that drifts from
// the headers and signatures docs/webhooks.md#the-request describes fails.
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { buildSignatureHeaders, verifyStandard, verifyWazion } from '@parley/webhooks';
import { docSnippets, expectations, verdicts } from './helpers/doc-snippets.ts';
import { phpVerdicts, receiverScript, receiverVerdicts } from './helpers/php.ts';

const snippet = docSnippets('webhooks.md');

interface Case {
  name: string;
  scheme: 'wazion' | 'standard';
  secret: string;
  body: string;
  /** webhook-id, webhook-timestamp, and the scheme's signature header; null when absent. */
  id: string | null;
  timestamp: string | null;
  signature: string | null;
  expected: boolean;
}

type Delivery = Omit<Case, 'name' | 'scheme' | 'expected'>;

const SECRET = 'parley-webhook-secret-7b1f';
const WHSEC = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ID = 'evt_3q2Xx7Rk0aVb1mPc';
const now = Math.floor(Date.now() / 1000);
const phoneDetected = JSON.stringify({
  id: ID,
  event: 'phone.detected',
  timestamp: '2026-03-02T10:00:00.000Z',
  data: {
    phone: '+34655123987',
    detected_at: '2026-03-02T10:00:00.000Z',
    shop_id: 'shop_Hk2mY8cQw1nR5tZp',
    conversation_hash: '9f2c4e0b8a7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b',
    source: 'message',
    chat_phone: '+34611000001',
  },
});
const nonAscii = JSON.stringify({
  id: ID,
  event: 'test',
  timestamp: '2026-03-02T10:00:00.000Z',
  data: { message: 'señal ✓ €' },
});
/** What a framework that parsed the JSON and serialized it again would hand the verifier. */
const reserialized = JSON.stringify(JSON.parse(phoneDetected), null, 2);

/** A delivery as Parley signs it, then possibly changed on the way. */
function signed(
  scheme: Case['scheme'],
  name: string,
  expected: boolean,
  { secret = SECRET, body = phoneDetected, timestamp = now } = {},
  change: (genuine: Delivery) => Partial<Delivery> = () => ({}),
): Case {
  const headers = buildSignatureHeaders({
    id: ID,
    event: 'phone.detected',
    attempt: 1,
    timestamp,
    body,
    secret,
  });
  const genuine: Delivery = {
    secret,
    body,
    id: headers['webhook-id'] ?? null,
    timestamp: headers['webhook-timestamp'] ?? null,
    signature: (scheme === 'wazion' ? headers['X-WAzion-Signature'] : headers['webhook-signature']) ?? null,
  };
  return { name: `${scheme}: ${name}`, scheme, ...genuine, ...change(genuine), expected };
}

const wazion = signed.bind(null, 'wazion');
const standard = signed.bind(null, 'standard');
const cases: Case[] = [
  wazion('genuine', true),
  wazion('genuine, non-ASCII body', true, { body: nonAscii }),
  wazion('genuine, whsec_ secret (keyed with the whole secret)', true, { secret: WHSEC }),
  wazion('signature in upper case', true, {}, ({ signature }) => ({
    signature: signature?.toUpperCase() ?? null,
  })),
  wazion('body changed', false, {}, () => ({ body: phoneDetected.replace('+34655123987', '+34655123988') })),
  wazion('body parsed and serialized again', false, {}, () => ({ body: reserialized })),
  wazion('another secret', false, {}, () => ({ secret: `${SECRET}x` })),
  wazion('no signature', false, {}, () => ({ signature: null })),
  wazion('signature not hex', false, {}, () => ({ signature: 'z'.repeat(64) })),
  standard('genuine', true),
  standard('genuine, whsec_ secret', true, { secret: WHSEC }),
  standard('genuine, non-ASCII body', true, { body: nonAscii }),
  standard('two entries during a rotation, one matching', true, {}, ({ signature }) => ({
    signature: `v1,bm90IHRoaXMgb25l ${signature}`,
  })),
  standard('body changed', false, {}, () => ({ body: phoneDetected.replace('"message"', '"chat"') })),
  standard('body parsed and serialized again', false, {}, () => ({ body: reserialized })),
  standard('id changed', false, {}, () => ({ id: 'evt_another0000000' })),
  standard('timestamp changed', false, {}, () => ({ timestamp: String(now + 1) })),
  standard('signed an hour ago (replayed)', false, { timestamp: now - 3600 }),
  standard('signed an hour ahead', false, { timestamp: now + 3600 }),
  standard('another version only', false, {}, ({ signature }) => ({
    signature: signature?.replace('v1,', 'v2,') ?? null,
  })),
  standard('no signature', false, {}, () => ({ signature: null })),
  standard('no id', false, {}, () => ({ id: null })),
];

const expected = expectations(cases);

/** The Standard Webhooks headers of a case, as Parley sends them (absent ones left out). */
const standardHeaders = ({ id, timestamp, signature }: Case) => ({
  ...(id === null ? {} : { 'webhook-id': id }),
  ...(timestamp === null ? {} : { 'webhook-timestamp': timestamp }),
  ...(signature === null ? {} : { 'webhook-signature': signature }),
});

describe('signature verification snippets of docs/webhooks.md', () => {
  test('the cases are right: Parley’s own verifiers agree with every expectation', () => {
    const own = cases.map((c) => {
      const { name, scheme, secret, body, signature } = c;
      if (scheme === 'wazion') return [name, verifyWazion(body, secret, signature ?? undefined)];
      return [name, verifyStandard({ headers: standardHeaders(c), body, secret }).ok];
    });
    assert.deepEqual(own, expected);
  });

  test('Python: accepts the genuine deliveries and rejects the altered ones', () => {
    const harness = `
import json, sys
for c in json.load(sys.stdin):
    body = c["body"].encode("utf-8")
    if c["scheme"] == "wazion":
        verdict = verify_wazion_signature(c["secret"], body, c["signature"])
    else:
        verdict = verify_standard_webhook(c["secret"], body, c["id"], c["timestamp"], c["signature"])
    print(json.dumps(verdict))
`;
    assert.deepEqual(
      verdicts('python3', ['-c', `${snippet('python', 'python')}\n${harness}`], cases),
      expected,
    );
  });

  test('Node: accepts the genuine deliveries and rejects the altered ones', () => {
    const harness = `
let input = '';
for await (const chunk of process.stdin) input += chunk;
for (const c of JSON.parse(input)) {
  const body = Buffer.from(c.body, 'utf8');
  const verdict = c.scheme === 'wazion'
    ? verifyWazionSignature(c.secret, body, c.signature)
    : verifyStandardWebhook(c.secret, body, c.id, c.timestamp, c.signature);
  console.log(JSON.stringify(verdict));
}
`;
    const code = `${snippet('node', 'js')}\n${harness}`;
    assert.deepEqual(verdicts(process.execPath, ['--input-type=module', '-e', code], cases), expected);
  });

  test('PHP: accepts the genuine deliveries and rejects the altered ones', async () => {
    const harness = `
foreach (json_decode(stream_get_contents(STDIN), true) as $c) {
    $verdict = $c['scheme'] === 'wazion'
        ? verify_wazion_signature($c['secret'], $c['body'], $c['signature'])
        : verify_standard_webhook($c['secret'], $c['body'], $c['id'], $c['timestamp'], $c['signature']);
    echo json_encode($verdict), "\\n";
}
`;
    assert.deepEqual(await phpVerdicts(`${snippet('php', 'php')}\n${harness}`, cases), expected);
  });

  test('PHP under a web server: the script lets the genuine deliveries through and answers 401 to the others', async () => {
    const standardCases = cases.filter((c) => c.scheme === 'standard');
    const script = receiverScript(snippet('php', 'php'), snippet('php-receiver', 'php'));
    const deliveries = standardCases.map((c) => ({
      ...c,
      method: 'POST',
      pathAndQuery: '/hooks/parley',
      headers: { 'content-type': 'application/json', ...standardHeaders(c) },
    }));
    assert.deepEqual(
      await receiverVerdicts(script, 'PARLEY_WEBHOOK_SECRET', deliveries),
      expectations(standardCases),
    );
  });
});
