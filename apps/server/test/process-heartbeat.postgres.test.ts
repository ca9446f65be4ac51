/**
 * A dead process's work resumes in seconds; a slow live one keeps its own (docs/operations.md).
 * Real server processes share one PostgreSQL with short heartbeat settings (the release time is
 * PARLEY_HEARTBEAT_STALE_MS plus up to one interval, whatever the values):
 *   (a) two processes have webhook deliveries in flight (the receiver holds them open); one is killed
 *       with SIGKILL; every event is then delivered by the other, well within 60 s, each answered 200;
 *   (b) a delivery held open by the receiver for longer than the staleness limit, by a live process,
 *       is not taken over: a third process is killed, and once a live process has released the dead
 *       one (which takes at least the staleness limit after the hold began), the held delivery is still
 *       the live process's only attempt; released, it is delivered once.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createShopWithWebhook, postNumber } from './helpers/intake-stream.ts';
import { spawnServer, waitUntilListening, type ServerProcess } from './helpers/server-process.ts';
import { createScratchPostgresDatabase } from './helpers/test-database.ts';
import {
  startWebhookReceiver,
  type ReceivedRequest,
  type WebhookReceiver,
} from './helpers/webhook-receiver.ts';

const ADMIN_TOKEN = `pk_admin_${randomBytes(16).toString('hex')}`;
const HEARTBEAT_INTERVAL_MS = 250;
const HEARTBEAT_STALE_MS = 1_500;

describe('process heartbeats on PostgreSQL', { timeout: 300_000 }, () => {
  let database: { url: string; drop(): Promise<void> };
  let receiver: WebhookReceiver;
  let client: pg.Client;
  const secretKey = randomBytes(32).toString('base64');
  const servers: ServerProcess[] = [];
  const dataDirs: string[] = [];
  let token = '';

  before(async () => {
    database = await createScratchPostgresDatabase();
    receiver = await startWebhookReceiver();
    client = new pg.Client({ connectionString: database.url });
  });

  after(async () => {
    for (const server of servers) server.child.kill('SIGKILL');
    await Promise.all(servers.map((server) => server.exited));
    receiver.release();
    await receiver.close();
    await client.end().catch(() => {});
    await database.drop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  async function start(): Promise<{ server: ServerProcess; url: string; label: string }> {
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-heartbeat-'));
    dataDirs.push(dataDir);
    const server = spawnServer({
      DATABASE_URL: database.url,
      PARLEY_DATA_DIR: dataDir,
      PARLEY_SECRET_KEY: secretKey,
      PARLEY_ADMIN_TOKEN: ADMIN_TOKEN,
      PARLEY_DISABLE_DEMO: 'true',
      PARLEY_ALLOW_PRIVATE_TARGETS: '127.0.0.1',
      PARLEY_HEARTBEAT_INTERVAL_MS: String(HEARTBEAT_INTERVAL_MS),
      PARLEY_HEARTBEAT_STALE_MS: String(HEARTBEAT_STALE_MS),
    });
    servers.push(server);
    const url = await waitUntilListening(server);
    return { server, url, label: `${hostname()}:${server.child.pid}` };
  }

  async function kill(server: ServerProcess): Promise<void> {
    server.child.kill('SIGKILL');
    assert.equal((await server.exited).signal, 'SIGKILL');
  }

  /** Deliveries in flight, by the label (host:pid) of the process holding each. */
  async function inFlightByProcess(): Promise<Map<string, string[]>> {
    const { rows } = await client.query<{ label: string; event_id: string }>(
      `SELECT h.label, d.event_id FROM webhook_deliveries d
       JOIN process_heartbeats h ON h.process_id = d.claimed_by WHERE d.status = 'delivering'`,
    );
    const held = new Map<string, string[]>();
    for (const row of rows) held.set(row.label, [...(held.get(row.label) ?? []), row.event_id]);
    return held;
  }

  const idOf = (request: ReceivedRequest) => request.header('x-webhook-id') ?? '';
  const acknowledged = new Set<string>();

  /** Waits request by request, never on a timer, until `done` holds. */
  async function waitUntil(done: () => boolean): Promise<void> {
    for (let next = receiver.requests.length + 1; !done(); next++) await receiver.waitFor(next);
  }

  let nextNumber = 500_000;
  async function detect(baseUrl: string, count: number): Promise<string[]> {
    const detected: string[] = [];
    for (let i = 0; i < count; i++) {
      const answer = await postNumber(baseUrl, token, nextNumber++);
      assert.equal(answer.kind, 'accepted', JSON.stringify(answer));
      if (answer.kind === 'accepted') detected.push(...answer.detected);
    }
    return detected;
  }

  /** The event ids of phone.detected events, by phone, from the server's own table. */
  async function eventIdsOf(phones: readonly string[]): Promise<string[]> {
    const { rows } = await client.query<{ id: string }>(
      `SELECT id FROM webhook_events WHERE event = 'phone.detected' AND body::jsonb -> 'data' ->> 'phone' = ANY($1)`,
      [phones],
    );
    return rows.map((row) => row.id);
  }

  it('(a) SIGKILL one of two processes with deliveries in flight: every event is delivered by the other', async (t) => {
    // Held open: both processes fill their cap of 4 deliveries per shop and keep them in flight.
    receiver.script(() => 'hang');
    const a = await start();
    const b = await start();
    await client.connect();
    token = await createShopWithWebhook(a.url, ADMIN_TOKEN, receiver.url());
    const detected = [...(await detect(a.url, 6)), ...(await detect(b.url, 6))];
    assert.equal(detected.length, 13, 'twelve numbers and the chat');
    await receiver.waitFor(8);
    const held = await inFlightByProcess();
    assert.equal(held.get(a.label)?.length, 4, 'the process to kill has deliveries in flight');
    assert.equal(held.get(b.label)?.length, 4);
    const lost = held.get(a.label)!;

    await kill(a.server);
    const killedAt = performance.now();
    receiver.script((request) => {
      acknowledged.add(idOf(request));
      return { status: 200 };
    });
    // The survivor's own held deliveries are answered now; the dead one's are gone with its sockets.
    for (const request of receiver.requests)
      if (held.get(b.label)!.includes(idOf(request))) acknowledged.add(idOf(request));
    receiver.release();

    const events = await eventIdsOf(detected);
    assert.equal(events.length, 13);
    await waitUntil(() => events.every((id) => acknowledged.has(id)));
    const tookMs = performance.now() - killedAt;
    t.diagnostic(`every event delivered ${Math.round(tookMs)} ms after the SIGKILL`);
    assert.ok(tookMs < 60_000, `every event delivered ${Math.round(tookMs)} ms after the kill`);
    // The release came from the heartbeat, not the 4-minute lease.
    assert.ok(
      tookMs < HEARTBEAT_STALE_MS + 10 * HEARTBEAT_INTERVAL_MS + 5_000,
      `took ${Math.round(tookMs)} ms`,
    );
    // Sent again by the survivor, as their next attempt, and the log says why.
    for (const id of lost) {
      const attempts = receiver.requests
        .filter((r) => idOf(r) === id)
        .map((r) => r.header('x-webhook-attempt'));
      assert.deepEqual(attempts, ['1', '2'], id);
    }
    const released = await b.server.waitForLine((line) => line.includes('processes stopped beating'));
    assert.ok(released.includes(a.label), released);
  });

  it('(b) a live process slower than the staleness limit keeps its delivery; a dead one is released meanwhile', async () => {
    const live = servers.filter(
      (server) => server.child.exitCode === null && server.child.signalCode === null,
    );
    assert.equal(live.length, 1);
    const survivor = live[0]!;
    const survivorUrl = await waitUntilListening(survivor);
    const before = receiver.requests.length;
    receiver.script(() => 'hang');
    const [phone] = await detect(survivorUrl, 1);
    const held = await receiver.waitFor(before + 1);
    const heldId = idOf(held);
    assert.deepEqual(await eventIdsOf([phone!]), [heldId]);

    // A process that dies after the hold began: its release, at least the staleness limit later,
    // is proof that that much time has passed with the slow delivery in flight.
    const doomed = await start();
    await kill(doomed.server);
    await survivor.waitForLine(
      (line) => line.includes('processes stopped beating') && line.includes(doomed.label),
    );
    assert.equal(receiver.requests.filter((r) => idOf(r) === heldId).length, 1, 'not sent again');
    const { rows } = await client.query<{ status: string; attempts: number }>(
      'SELECT status, attempts FROM webhook_deliveries WHERE event_id = $1',
      [heldId],
    );
    assert.deepEqual(rows, [{ status: 'delivering', attempts: 1 }]);

    receiver.script(() => ({ status: 200 }));
    receiver.release();
    const { rows: after } = await waitForDelivered(heldId);
    assert.deepEqual(after, [{ status: 'delivered', attempts: 1 }]);
  });

  /** Reads the delivery until its result is recorded (the receiver answered it already). */
  async function waitForDelivered(
    eventId: string,
  ): Promise<pg.QueryResult<{ status: string; attempts: number }>> {
    for (;;) {
      const result = await client.query<{ status: string; attempts: number }>(
        'SELECT status, attempts FROM webhook_deliveries WHERE event_id = $1',
        [eventId],
      );
      if (result.rows[0]?.status !== 'delivering') return result;
      // Polling the database for a write that follows a response already sent.
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
});
