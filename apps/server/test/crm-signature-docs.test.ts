// The signature checks that docs/crm-endpoints.md gives integrators are run, exactly as written, against
// calls signed by Parley's own signing code: a doc snippet that drifts from the scheme fails here.
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { signCrmRequest, verifyCrmRequest } from '@parley/webhooks';
import { docSnippets, expectations, verdicts } from './helpers/doc-snippets.ts';
import { phpVerdicts, receiverScript, receiverVerdicts } from './helpers/php.ts';

const snippet = docSnippets('crm-endpoints.md');

interface Case {
  name: string;
  secret: string;
  method: string;
  pathAndQuery: string;
  body: string;
  timestamp: string | null;
  signature: string | null;
  expected: boolean;
}

const SECRET = 'pl-signing-4c1d8e0a9b';
const now = Math.floor(Date.now() / 1000);
const lookup =
  '/crm/sidePanel_CustomerInfo?phone=%2B34655123987&relatedphones=%2B34911222333%2C%2B447911123456';
const search = '/crm/search_Products';
const searchBody = JSON.stringify({ query: 'zapatillas montaña Lucía', limit: 5, token: 's3cr3t' });

type Verified = Omit<Case, 'name' | 'expected'>;

/** A request as Parley signs it, then possibly changed on the way. */
function signed(
  name: string,
  request: { method: string; pathAndQuery: string; body: string; timestamp?: number },
  expected: boolean,
  change: (genuine: Verified) => Partial<Verified> = () => ({}),
): Case {
  const headers = signCrmRequest({ secret: SECRET, timestamp: now, ...request });
  const genuine: Verified = {
    secret: SECRET,
    method: request.method,
    pathAndQuery: request.pathAndQuery,
    body: request.body,
    timestamp: headers['X-Parley-Timestamp'] ?? null,
    signature: headers['X-Parley-Signature'] ?? null,
  };
  return { name, ...genuine, ...change(genuine), expected };
}

const get = { method: 'GET', pathAndQuery: lookup, body: '' };
const post = { method: 'POST', pathAndQuery: search, body: searchBody };
const cases: Case[] = [
  signed('genuine GET', get, true),
  signed('genuine POST with non-ASCII body', post, true),
  signed('signature in upper case', get, true, ({ signature }) => ({
    signature: signature?.toUpperCase() ?? null,
  })),
  signed('body changed', post, false, () => ({ body: searchBody.replace('"limit":5', '"limit":500') })),
  signed('query changed', get, false, () => ({ pathAndQuery: lookup.replace('655123987', '655123988') })),
  signed('query decoded', get, false, () => ({ pathAndQuery: decodeURIComponent(lookup) })),
  signed('method changed', post, false, () => ({ method: 'PUT' })),
  signed('another secret', get, false, () => ({ secret: 'pl-signing-other' })),
  signed('replayed an hour later', { ...get, timestamp: now - 3600 }, false),
  signed('timestamp in the future', { ...get, timestamp: now + 3600 }, false),
  signed('timestamp changed', get, false, () => ({ timestamp: String(now + 1) })),
  signed('no signature', get, false, () => ({ signature: null })),
  signed('no timestamp', get, false, () => ({ timestamp: null })),
  signed('signature not hex', get, false, () => ({ signature: 'z'.repeat(64) })),
];

const expected = expectations(cases);

/** The Parley headers of a case, as a client sends them (absent ones left out). */
const parleyHeaders = ({ timestamp, signature }: Case) => ({
  ...(timestamp === null ? {} : { 'X-Parley-Timestamp': timestamp }),
  ...(signature === null ? {} : { 'X-Parley-Signature': signature }),
});

describe('signature verification snippets of docs/crm-endpoints.md', () => {
  test('the cases are right: Parley’s own verifier agrees with every expectation', () => {
    const own = cases.map((c) => [c.name, verifyCrmRequest({ ...c, headers: parleyHeaders(c) }).ok]);
    assert.deepEqual(own, expected);
  });

  test('Python: accepts the genuine calls and rejects the altered ones', () => {
    const harness = `
import json, sys
for case in json.load(sys.stdin):
    print(json.dumps(verify_parley_request(
        case["secret"], case["method"], case["pathAndQuery"], case["body"].encode("utf-8"),
        case["timestamp"], case["signature"])))
`;
    assert.deepEqual(
      verdicts('python3', ['-c', `${snippet('python', 'python')}\n${harness}`], cases),
      expected,
    );
  });

  test('Node: accepts the genuine calls and rejects the altered ones', () => {
    const harness = `
let input = '';
for await (const chunk of process.stdin) input += chunk;
for (const c of JSON.parse(input)) {
  console.log(JSON.stringify(verifyParleyRequest({ ...c, body: Buffer.from(c.body, 'utf8') })));
}
`;
    const code = `${snippet('node', 'js')}\n${harness}`;
    assert.deepEqual(verdicts(process.execPath, ['--input-type=module', '-e', code], cases), expected);
  });

  test('PHP: accepts the genuine calls and rejects the altered ones', async () => {
    const harness = `
foreach (json_decode(stream_get_contents(STDIN), true) as $c) {
    echo json_encode(verify_parley_request(
        $c['secret'], $c['method'], $c['pathAndQuery'], $c['body'], $c['timestamp'], $c['signature'])), "\\n";
}
`;
    assert.deepEqual(await phpVerdicts(`${snippet('php', 'php')}\n${harness}`, cases), expected);
  });

  test('PHP under a web server: the script lets the genuine calls through and answers 401 to the others', async () => {
    const script = receiverScript(snippet('php', 'php'), snippet('php-receiver', 'php'));
    const requests = cases.map((c) => ({ ...c, headers: parleyHeaders(c) }));
    assert.deepEqual(await receiverVerdicts(script, 'PARLEY_REQUEST_SIGNING_SECRET', requests), expected);
  });
});
