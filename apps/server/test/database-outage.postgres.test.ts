/**
 * The database going away is an outage, never a crash (docs/operations.md). A real server process on
 * PostgreSQL, reached through a loopback TCP proxy, takes a stream of intake (each request one new
 * phone, so one phone.detected webhook) while:
 *   (a) its database connections are terminated with pg_terminate_backend, 20 times in a row;
 *   (b) the database stops answering (the proxy holds every byte), then answers again;
 *   (c) the database is down (the proxy resets connections and refuses new ones), then back.
 * The process must stay up; requests fail only as 503 DATABASE_UNAVAILABLE (and succeed when sent
 * again); /health says `degraded` during (b) and (c) and `ok` after, with no restart; every event
 * reaches the receiver, and none twice (one process, so a second send could only come from a claim
 * taken over while the first was in flight).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { verifyWebhook } from '@parley/webhooks';
import {
  createShopWithWebhook,
  startIntakeStream,
  WEBHOOK_SECRET,
  type IntakeStream,
} from './helpers/intake-stream.ts';
import { spawnServer, waitUntilListening, type ServerProcess } from './helpers/server-process.ts';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy.ts';
import { createScratchPostgresDatabase, testDatabaseUrl } from './helpers/test-database.ts';
import { startWebhookReceiver, type WebhookReceiver } from './helpers/webhook-receiver.ts';

const ADMIN_TOKEN = `pk_admin_${randomBytes(16).toString('hex')}`;
/** Short, so that a request in flight when the database freezes gets its 503 within the test's patience. */
const QUERY_TIMEOUT_MS = 2_000;

describe('a server process on PostgreSQL through database outages', { timeout: 600_000 }, () => {
  let database: { url: string; drop(): Promise<void> };
  let proxy: TcpProxy;
  let receiver: WebhookReceiver;
  let server: ServerProcess;
  let baseUrl = '';
  let token = '';
  let admin: pg.Client;
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-outage-'));
  const streams: IntakeStream[] = [];

  before(async () => {
    database = await createScratchPostgresDatabase();
    const target = new URL(database.url);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const throughProxy = new URL(database.url);
    throughProxy.port = String(proxy.port);
    receiver = await startWebhookReceiver();
    server = spawnServer({
      DATABASE_URL: throughProxy.toString(),
      PARLEY_DATA_DIR: dataDir,
      PARLEY_SECRET_KEY: randomBytes(32).toString('base64'),
      PARLEY_ADMIN_TOKEN: ADMIN_TOKEN,
      PARLEY_DISABLE_DEMO: 'true',
      PARLEY_ALLOW_PRIVATE_TARGETS: '127.0.0.1',
      PARLEY_DATABASE_QUERY_TIMEOUT_MS: String(QUERY_TIMEOUT_MS),
    });
    baseUrl = await waitUntilListening(server);
    token = await createShopWithWebhook(baseUrl, ADMIN_TOKEN, receiver.url());
    // Straight to PostgreSQL, not through the proxy: the test's own connection is never cut.
    admin = new pg.Client({ connectionString: testDatabaseUrl() });
    await admin.connect();
  });

  after(async () => {
    for (const stream of streams) await stream.stop();
    server.child.kill('SIGKILL');
    await server.exited;
    await admin?.end();
    await proxy?.close();
    await receiver?.close();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const health = async () => {
    const response = await fetch(`${baseUrl}/health`);
    return { code: response.status, ...((await response.json()) as { status: string }) };
  };

  /** Asks /health until it says `status`; each answer takes up to the health check's own timeout. */
  async function waitForHealth(status: 'ok' | 'degraded'): Promise<void> {
    for (let asked = 1; ; asked++) {
      const answer = await health();
      if (answer.status === status) {
        assert.equal(answer.code, status === 'ok' ? 200 : 503);
        return;
      }
      assert.ok(asked < 600, `/health never said ${status}`);
      // Between two questions, not before an assertion: a client polling.
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  function assertStillRunning(): void {
    assert.equal(server.child.exitCode, null, `the process exited; stderr:\n${server.stderr.join('\n')}`);
    assert.equal(server.child.signalCode, null);
  }

  /** Waits until the receiver has every detected phone's event; fails on any phone sent twice. */
  async function assertEveryEventDeliveredOnce(detected: ReadonlySet<string>): Promise<void> {
    const phoneOf = (index: number) => {
      const request = receiver.requests[index]!;
      const verified = verifyWebhook({
        headers: request.headers,
        body: request.body,
        secret: WEBHOOK_SECRET,
      });
      assert.ok(verified.ok, 'signed with the webhook secret');
      return (JSON.parse(request.body.toString('utf8')) as { data: { phone: string } }).data.phone;
    };
    const received = new Map<string, number>();
    for (let index = 0; ; index++) {
      if (detected.size > 0 && [...detected].every((phone) => received.has(phone))) break;
      await receiver.waitFor(index + 1);
      const phone = phoneOf(index);
      received.set(phone, (received.get(phone) ?? 0) + 1);
    }
    assert.deepEqual([...received.keys()].sort(), [...detected].sort(), 'one event per detected phone');
    const twice = [...received].filter(([, count]) => count > 1);
    assert.deepEqual(twice, [], 'no event sent twice');
  }

  it('(a) its connections terminated 20 times in a row under load: it stays up, every event arrives once', async () => {
    const stream = startIntakeStream([baseUrl], token, { senders: 6, firstNumber: 100_000 });
    streams.push(stream);
    let terminated = 0;
    for (let round = 1; round <= 20; round++) {
      // Load before each termination, and proof that the previous one was recovered from.
      await stream.waitForSuccesses(stream.succeeded() + 10);
      const { rows } = await admin.query<{ count: string }>(
        `SELECT count(pg_terminate_backend(pid)) AS count FROM pg_stat_activity
         WHERE datname = $1 AND pid <> pg_backend_pid()`,
        [new URL(database.url).pathname.slice(1)],
      );
      terminated += Number(rows[0]?.count ?? 0);
      assertStillRunning();
    }
    await stream.waitForSuccesses(stream.succeeded() + 10);
    await stream.stop();
    assertStillRunning();
    assert.ok(terminated >= 20, `terminated ${terminated} connections`);
    assert.deepEqual(stream.failures, [], 'every request answered 200, or 503 DATABASE_UNAVAILABLE');
    assert.equal((await health()).status, 'ok');
    await assertEveryEventDeliveredOnce(stream.detected);
    assert.ok(
      !server.stdout.some((line) => line.includes('"unhandled error"')),
      'no request ended as a fault (500)',
    );
  });

  it('(b) the database stops answering, then answers again: 503s and `degraded`, then `ok` without a restart', async () => {
    const stream = startIntakeStream([baseUrl], token, { senders: 4, firstNumber: 200_000 });
    streams.push(stream);
    await stream.waitForSuccesses(10);
    proxy.freeze();
    await waitForHealth('degraded');
    await stream.waitForUnavailable(1);
    assertStillRunning();
    proxy.thaw();
    await waitForHealth('ok');
    await stream.waitForSuccesses(stream.succeeded() + 20);
    await stream.stop();
    assertStillRunning();
    assert.deepEqual(stream.failures, []);
    assert.ok(stream.unavailable > 0);
    await assertEveryEventDeliveredOnce(new Set([...streams[0]!.detected, ...stream.detected]));
  });

  /** A tools/call over MCP: what the server answers, whatever it is. */
  const callTool = async (name: string) => {
    const response = await fetch(`${baseUrl}/api/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2025-06-18',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: {} } }),
    });
    return { status: response.status, text: await response.text() };
  };

  it('(c) the database goes down (connections reset, new ones refused), then comes back', async () => {
    const stream = startIntakeStream([baseUrl], token, { senders: 4, firstNumber: 300_000 });
    streams.push(stream);
    await stream.waitForSuccesses(10);
    // Signed in once while the database answers, so the next call reaches the tool itself.
    assert.equal((await callTool('get_webhook_config')).status, 200);
    await proxy.cut();
    await waitForHealth('degraded');
    await stream.waitForUnavailable(stream.unavailable + 1);
    // An MCP tool in an outage says so (a tool error, or a 503 when signing in needs the database); never -32603.
    const duringOutage = await callTool('get_webhook_config');
    assert.ok(!duringOutage.text.includes('-32603'), duringOutage.text);
    assert.ok(duringOutage.text.includes('DATABASE_UNAVAILABLE'), duringOutage.text);
    assertStillRunning();
    await proxy.restore();
    await waitForHealth('ok');
    await stream.waitForSuccesses(stream.succeeded() + 20);
    await stream.stop();
    assertStillRunning();
    assert.deepEqual(stream.failures, []);
    const everything = new Set(streams.flatMap((s) => [...s.detected]));
    await assertEveryEventDeliveredOnce(everything);
    // The worker came back by itself: the LISTEN connection says so in the log.
    assert.ok(server.stdout.some((line) => line.includes('database notifications restored')));
  });
});
