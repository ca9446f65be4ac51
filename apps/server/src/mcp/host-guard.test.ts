import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { createHostGuard } from './host-guard.ts';

const local = createHostGuard({ HOST: '127.0.0.1', PARLEY_PUBLIC_URL: undefined });
const published = createHostGuard({ HOST: '0.0.0.0', PARLEY_PUBLIC_URL: 'https://parley.example.com' });

test('loopback names and IP addresses are accepted, with or without a port', () => {
  for (const host of [
    'localhost',
    'localhost:8787',
    'app.localhost',
    '127.0.0.1:8787',
    '[::1]:8787',
    '10.0.0.7',
  ]) {
    assert.equal(local.refusal(host, undefined), undefined, host);
    assert.equal(local.refusal(host, `http://${host}`), undefined, host);
  }
  assert.equal(local.refusal(undefined, undefined), undefined, 'no Host: not a browser');
});

test('a foreign name in Host or Origin is refused, saying what to set', () => {
  assert.match(
    local.refusal('evil.example.com', undefined) ?? '',
    /^Forbidden: the Host header "evil\.example\.com".*set PARLEY_PUBLIC_URL/,
  );
  assert.match(
    local.refusal('127.0.0.1:8787', 'http://evil.example.com') ?? '',
    /web origin "http:\/\/evil\.example\.com"/,
  );
  assert.match(local.refusal('localhost', 'null') ?? '', /web origin "null"/);
  assert.match(local.refusal('127.0.0.1@evil.example.com', undefined) ?? '', /Forbidden/, 'userinfo tricks');
  assert.match(local.refusal('parley.example.com', undefined) ?? '', /Forbidden/);
});

test('the host of PARLEY_PUBLIC_URL is accepted, whatever the port', () => {
  assert.equal(published.refusal('parley.example.com', 'https://parley.example.com'), undefined);
  assert.equal(published.refusal('PARLEY.example.com:443', undefined), undefined);
  assert.match(
    published.refusal('other.example.com', undefined) ?? '',
    /use https:\/\/parley\.example\.com \(PARLEY_PUBLIC_URL\)/,
  );
});

test('HOST, when it is a name, is accepted too', () => {
  const named = createHostGuard({ HOST: 'parley.lan', PARLEY_PUBLIC_URL: undefined });
  assert.equal(named.refusal('parley.lan:8787', undefined), undefined);
  assert.match(named.refusal('evil.lan', undefined) ?? '', /Forbidden/);
});
