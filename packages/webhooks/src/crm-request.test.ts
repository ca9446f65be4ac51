import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { signCrmRequest, verifyCrmRequest } from './crm-request.ts';

const secret = 'rs_9mX2-demo-signing-secret';
const request = {
  secret,
  timestamp: 1_772_000_000,
  method: 'POST',
  pathAndQuery: '/crm/customer?shop=1',
  body: '{"phone":"+34655123987","relatedphones":[],"token":"t"}',
};

describe('CRM request signature', () => {
  it('matches an HMAC computed independently by python3', () => {
    const script =
      'import hmac,hashlib,sys;print(hmac.new(sys.argv[1].encode(),sys.argv[2].encode(),hashlib.sha256).hexdigest())';
    const message = `${request.timestamp}.POST.${request.pathAndQuery}.${request.body}`;
    const expected = execFileSync('python3', ['-c', script, secret, message], { encoding: 'utf8' }).trim();
    assert.deepEqual(signCrmRequest(request), {
      'X-Parley-Timestamp': '1772000000',
      'X-Parley-Signature': expected,
    });
  });

  it('verifies what it signs, within the tolerance', () => {
    const headers = signCrmRequest(request);
    const now = request.timestamp * 1000;
    assert.deepEqual(verifyCrmRequest({ ...request, headers, now }), {
      ok: true,
      timestamp: request.timestamp,
    });
    assert.equal(verifyCrmRequest({ ...request, headers, now: now + 301_000 }).ok, false);
    assert.equal(verifyCrmRequest({ ...request, headers, now: now - 301_000 }).ok, false);
  });

  it('refuses another body, path, method or secret, and missing headers', () => {
    const headers = signCrmRequest(request);
    const now = request.timestamp * 1000;
    const code = (input: Partial<typeof request> & { headers?: Record<string, string> }) => {
      const result = verifyCrmRequest({ ...request, headers, now, ...input });
      return result.ok ? 'ok' : result.code;
    };
    assert.equal(code({ body: request.body.replace('t"', 'x"') }), 'NO_MATCHING_SIGNATURE');
    assert.equal(code({ pathAndQuery: '/crm/customer?shop=2' }), 'NO_MATCHING_SIGNATURE');
    assert.equal(code({ method: 'GET' }), 'NO_MATCHING_SIGNATURE');
    assert.equal(code({ secret: 'another' }), 'NO_MATCHING_SIGNATURE');
    assert.equal(code({ headers: {} }), 'MISSING_HEADER');
    assert.equal(code({ headers: { ...headers, 'X-Parley-Signature': 'zz' } }), 'NO_MATCHING_SIGNATURE');
  });
});
