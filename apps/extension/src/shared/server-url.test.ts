import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostPermissionPattern, normalizeServerUrl, serverEndpoint } from './server-url.ts';

test('the server URL is put in one form: no trailing slash, query or fragment; a path prefix kept', () => {
  assert.deepEqual(normalizeServerUrl(' http://127.0.0.1:8787/ '), {
    ok: true,
    url: 'http://127.0.0.1:8787',
  });
  assert.deepEqual(normalizeServerUrl('https://crm.example.com/parley/?x=1#y'), {
    ok: true,
    url: 'https://crm.example.com/parley',
  });
});

test('what is not an http(s) URL is refused with the reason', () => {
  assert.deepEqual(normalizeServerUrl(''), { ok: false, problem: 'empty' });
  assert.deepEqual(normalizeServerUrl('127.0.0.1:8787'), { ok: false, problem: 'invalid' });
  // Parsed as the scheme "localhost:" with path 8787.
  assert.deepEqual(normalizeServerUrl('localhost:8787'), { ok: false, problem: 'scheme' });
  assert.deepEqual(normalizeServerUrl('ftp://example.com'), { ok: false, problem: 'scheme' });
});

test('the host permission covers every port of the host', () => {
  assert.equal(hostPermissionPattern('http://127.0.0.1:8787'), 'http://127.0.0.1/*');
  assert.equal(hostPermissionPattern('https://crm.example.com/parley'), 'https://crm.example.com/*');
});

test('endpoints keep the path prefix and encode query values', () => {
  assert.equal(
    serverEndpoint('https://crm.example.com/parley', '/api/panel/customer', { phone: '+34655123987' }),
    'https://crm.example.com/parley/api/panel/customer?phone=%2B34655123987',
  );
});
