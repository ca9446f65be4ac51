/**
 * The console in Chromium against a real Parley: sign in, connect a CRM and read its test report,
 * configure a webhook and follow a delivery through a failure and a redelivery, see credits usage
 * drawn, create and revoke an agent, manage shops as the admin; and the refusals: a wrong token, a
 * change without the CSRF header, an expired session. Every page is screenshotted into test-artifacts/.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { artifacts, launchChromium } from './support/browser.ts';
import { startParley, type ParleyForTest } from './support/parley.ts';

const dist = new URL('../dist/index.html', import.meta.url).pathname;
const CUSTOMER_PATH = '/crm/customer-info';

let parley: ParleyForTest;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** Every URL the page asked for: all must be this server's. */
const requested: string[] = [];
const pageErrors: string[] = [];

const shoot = (name: string) => page.screenshot({ path: `${artifacts}${name}.png`, fullPage: true });

async function signIn(token: string) {
  await page.getByLabel('Token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

interface Delivery {
  event_id: string;
  attempts: unknown[];
}

/** The list of deliveries as the API reports it, polled until `done` holds (the worker runs apart). */
async function deliveriesUntil(done: (deliveries: Delivery[]) => boolean): Promise<Delivery[]> {
  for (;;) {
    const { deliveries } = await parley.tool<{ deliveries: Delivery[] }>('list_webhook_deliveries', {});
    if (done(deliveries)) return deliveries;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

before(async () => {
  assert.ok(existsSync(dist), 'No build in apps/console/dist: run npm run build -w apps/console');
  parley = await startParley();
  browser = await launchChromium();
  context = await browser.newContext({
    locale: 'en-GB',
    timezoneId: 'Europe/Madrid',
    viewport: { width: 1280, height: 900 },
  });
  context.setDefaultTimeout(30_000);
  page = await context.newPage();
  page.on('request', (request) => requested.push(request.url()));
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
});

after(async () => {
  await browser?.close();
  await parley?.close();
});

// A step that waits on something that never comes fails instead of hanging the suite.
describe('the console', { timeout: 300_000 }, () => {
  it('serves the page with a CSP and refuses a wrong token', async () => {
    const response = await page.goto(parley.url);
    const csp = response?.headers()['content-security-policy'] ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    await signIn('pk_shop_this-is-not-a-valid-token-000000');
    await page.getByRole('alert').filter({ hasText: 'this token is not valid' }).waitFor();
    assert.deepEqual(await context.cookies(), []);
    await shoot('sign-in');
  });

  it('signs in with the shop token, by keyboard, into an HttpOnly, SameSite=Strict cookie no script can read', async () => {
    await page.reload();
    await page.getByLabel('Token').waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'token');
    await page.keyboard.type(parley.shopToken);
    await page.keyboard.press('Enter');
    await page.getByTestId('signed-in-as').filter({ hasText: 'Tienda Runner' }).waitFor();
    const [cookie] = await context.cookies();
    assert.equal(cookie?.httpOnly, true);
    assert.equal(cookie?.sameSite, 'Strict');
    assert.equal(await page.evaluate(() => document.cookie), '');
  });

  it('connects a CRM: tests it (request redacted, warnings at their path, the customer as the panel shows it), saves it after the preview', async () => {
    const example = (await (await fetch(parley.crm.urlFor('sidePanel_CustomerInfo'))).json()) as {
      customers: Array<Record<string, unknown>>;
    };
    // One value of the wrong type, to see a warning with its JSON path.
    example.customers[0]!.ordersCount = 'many';
    parley.crm.answer(CUSTOMER_PATH, { json: example });

    await page.getByRole('button', { name: 'Configure sidePanel_CustomerInfo' }).click();
    await page.getByLabel('URL').fill(parley.crm.url(CUSTOMER_PATH));
    await page.getByLabel(/^Token/).fill('crm-secret-token-123');
    await page.getByRole('button', { name: 'Test these settings' }).click();
    const report = page.getByTestId('crm-report');
    await report.waitFor();
    assert.equal(await page.getByTestId('crm-http-status').textContent(), '200');
    assert.match((await page.getByTestId('crm-latency').textContent()) ?? '', /^\d+ ms$/);
    const request = (await report.locator('pre.json').first().textContent()) ?? '';
    assert.match(request, /token=\[set\]/);
    assert.ok(!request.includes('crm-secret-token-123'), 'the token is redacted');
    const warnings = page.getByRole('table', { name: 'Warnings' });
    await warnings.getByText('$.customers[0].ordersCount').waitFor();
    // The side panel's own view, in its shadow root: the customer's name and an order.
    const preview = page.getByTestId('customer-preview');
    await preview.getByText('Lucía Fernández Ortega').waitFor();
    await preview.getByText('#EX-2026-0311').first().waitFor();
    await shoot('crm-test-report');

    await page.getByRole('button', { name: 'Save' }).click();
    const change = page.getByRole('region', { name: 'Review the change' });
    await change.getByText(parley.crm.url(CUSTOMER_PATH)).first().waitFor();
    await change.getByRole('button', { name: 'Confirm and apply' }).click();
    await page.getByRole('status').filter({ hasText: 'Applied.' }).waitFor();
    const row = page.locator('tr[data-endpoint="sidePanel_CustomerInfo"]');
    await row.getByText('enabled').waitFor();
    const { endpoints } = await parley.tool<{ endpoints: Array<{ url: string; token: string }> }>(
      'get_crm_endpoints',
    );
    assert.equal(endpoints[0]?.url, parley.crm.url(CUSTOMER_PATH));
    assert.equal(endpoints[0]?.token, '[set]');

    // A URL the outbound policy refuses: the tool's own message, shown as the tool wrote it.
    await page.getByRole('button', { name: 'Configure search_Products' }).click();
    await page.getByLabel('URL').fill('http://10.1.2.3/products');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert').filter({ hasText: 'PARLEY_ALLOW_PRIVATE_TARGETS' }).waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await shoot('crm');
  });

  it('configures a webhook, shows a failed delivery with its attempt, redelivers it', async () => {
    parley.receiver.script((_request, index) =>
      index === 0 ? { status: 500, body: 'receiver down' } : { status: 200, body: 'ok' },
    );
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByLabel('Send events').check();
    await page.getByLabel('URL').fill(parley.receiver.url('/hooks/parley'));
    await page.getByRole('checkbox', { name: 'phone.detected' }).check();
    await page.getByLabel('Secret').fill('whsec_dGhpcyBpcyBhIHRlc3Qgc2VjcmV0');
    await page.getByRole('button', { name: 'Save' }).click();
    await page
      .getByRole('region', { name: 'Review the change' })
      .getByRole('button', { name: 'Confirm and apply' })
      .click();
    await page.getByRole('status').filter({ hasText: 'Applied.' }).waitFor();
    await page.getByText('A secret is set (never shown)').waitFor();

    const posted = await parley.api(parley.shopToken, 'POST', '/api/conversations/messages', {
      chat_phone: '+34655123987',
      messages: [{ id: 'm-1', direction: 'in', text: 'Hola', sent_at: parley.clock.now().toISOString() }],
    });
    assert.equal(posted.status, 200);
    await parley.receiver.waitFor(1);
    const [failed] = await deliveriesUntil((list) => list[0]?.attempts.length === 1);
    assert.ok(failed !== undefined);
    await page.getByRole('button', { name: 'Refresh' }).click();
    const delivery = page.locator(`li[data-event-id="${failed.event_id}"]`);
    const attempts = delivery.getByRole('table', { name: `Attempts ${failed.event_id}` });
    await attempts.getByText('receiver down').waitFor();
    await attempts.getByRole('cell', { name: '500', exact: true }).waitFor();

    await delivery.getByRole('button', { name: `Redeliver ${failed.event_id}` }).click();
    await delivery.getByText('delivered', { exact: true }).first().waitFor();
    await attempts.getByRole('cell', { name: '200', exact: true }).waitFor();
    assert.equal(await attempts.locator('tbody tr').count(), 2);
    assert.equal(parley.receiver.requests.length, 2);

    // Filters: nothing failed remains.
    await page.getByLabel('Status').selectOption('failed');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByText('No deliveries match.').waitFor();
    await page.getByLabel('Status').selectOption('');
    await page.getByRole('button', { name: 'Filter' }).click();
    await delivery.waitFor();

    // Nothing failed since then: the tool says so, in its own words.
    const since = '2026-01-01T00:00';
    await page.getByLabel('Re-send everything failed since').fill(since);
    await page.getByRole('button', { name: 'Re-send failed' }).click();
    // The field is in the browser's time zone (Europe/Madrid here), as the page converts it.
    const instant = await page.evaluate((local) => new Date(local).toISOString(), since);
    const { message } = await parley.tool<{ message: string }>('recover_webhooks', { since: instant });
    await page.getByRole('status').filter({ hasText: message }).waitFor();
    await shoot('webhooks');
  });

  it('draws the credits used per day and per feature', async () => {
    parley.llm.script({
      text: 'Hola, ¿en qué puedo ayudarte?',
      usage: { prompt_tokens: 1200, completion_tokens: 34 },
    });
    const reply = await parley.api<{ credits_charged: number }>(
      parley.shopToken,
      'POST',
      '/api/ai/suggest-reply',
      {
        phone: '+34655123987',
      },
    );
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    await page.getByRole('link', { name: 'AI', exact: true }).click();
    const chart = page.locator('figure[data-chart="usage-by-day"]');
    await chart.locator('canvas').waitFor();
    const table = chart.locator('table');
    // Every day of the month so far is a bar; today's holds what the reply cost.
    assert.equal(await table.locator('td').last().textContent(), String(reply.body.credits_charged));
    // uPlot drew bars: some pixel of the canvas is the bar colour.
    const drawn = await chart.locator('canvas').evaluate((canvas: HTMLCanvasElement) => {
      const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
      for (let i = 0; i < data.length; i += 4)
        if (data[i] === 15 && data[i + 1] === 122 && data[i + 2] === 92) return true;
      return false;
    });
    assert.ok(drawn, 'the usage chart has bars');
    await page.locator('figure[data-chart="usage-by-feature"] canvas').waitFor();
    await shoot('ai');
  });

  it("adds a custom function from JSON with the tool's own validation, then removes it after the preview", async () => {
    const bad = JSON.stringify({
      name: 'get order',
      description: 'Looks up an order',
      parameters: { type: 'array' },
    });
    const direct = await parley.api<{ result: { content: Array<{ text: string }> } }>(
      parley.shopToken,
      'POST',
      '/api/mcp',
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'update_custom_functions', arguments: { add_function: bad } },
      },
    );
    const message = direct.body.result.content[0]?.text.replace(/^Error: /, '') ?? '';
    assert.ok(message.length > 20);
    const definition = page.getByLabel('Function definition (JSON)');
    await definition.fill(bad);
    await page.getByRole('button', { name: 'Add or replace function' }).click();
    assert.equal(await page.getByRole('alert').locator('.error-text').textContent(), message);

    await definition.fill(
      JSON.stringify({
        name: 'get_order',
        description: 'Looks up an order by its number',
        parameters: { type: 'object', properties: { number: { type: 'string' } }, required: ['number'] },
        endpoint: parley.crm.url('/functions/get-order'),
        method: 'GET',
      }),
    );
    await page.getByRole('button', { name: 'Add or replace function' }).click();
    await page
      .getByRole('region', { name: 'Review the change' })
      .getByRole('button', { name: 'Confirm and apply' })
      .click();
    await page.getByRole('button', { name: 'Remove get_order' }).click();
    await page
      .getByRole('region', { name: 'Review the change' })
      .getByRole('button', { name: 'Confirm and apply' })
      .click();
    await page.getByText('No custom functions.').waitFor();
  });

  it('runs Smart Follow-up now and shows its log and skip reasons', async () => {
    // The model answers nothing usable: the one conversation is skipped with the reason the run records.
    parley.llm.setFallback({ status: 503, body: { error: { message: 'overloaded' } } });
    await page.getByRole('link', { name: 'Smart Follow-up' }).click();
    await page.getByRole('button', { name: 'Run now' }).click();
    await page
      .getByRole('region', { name: 'Review the change' })
      .getByRole('button', { name: 'Confirm and apply' })
      .click();
    await page.getByRole('status').filter({ hasText: 'The run started' }).waitFor();
    for (;;) {
      const logs = await parley.tool<{ total: number }>('get_smart_followup_logs', {});
      if (logs.total > 0) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    await page.getByRole('button', { name: 'Filter' }).click();
    const log = page.getByRole('table', { name: 'Log' });
    await log.getByRole('cell', { name: '+34655123987' }).waitFor();
    await page.locator('figure[data-chart="followup-skips"] canvas').waitFor();
    await page.locator('figure[data-chart="followup-funnel"] canvas').waitFor();
    parley.llm.setFallback(undefined);
    await shoot('smart-followup');
  });

  it('saves the days Smart Follow-up runs and its sending window, as save_smart_followup_config', async () => {
    const settings = page.getByRole('region', { name: 'Settings' });
    await settings.getByLabel('Sunday').uncheck();
    await settings.getByLabel('Sending window opens at (0–23, empty for any hour)').fill('9');
    await settings.getByLabel('Sending window closes at (0–23, empty for any hour)').fill('20');
    await settings.getByRole('button', { name: 'Save' }).click();
    await page
      .getByRole('region', { name: 'Review the change' })
      .getByRole('button', { name: 'Confirm and apply' })
      .click();
    await page.getByRole('status').filter({ hasText: 'Applied.' }).waitFor();
    const { settings: saved } = await parley.tool<{
      settings: {
        run_days: number[];
        sending_window_start: number | null;
        sending_window_end: number | null;
      };
    }>('get_smart_followup_config', {});
    assert.deepEqual(
      [saved.run_days, saved.sending_window_start, saved.sending_window_end],
      [[1, 2, 3, 4, 5, 6], 9, 20],
    );
  });

  it('speaks Spanish and fits a phone', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByLabel('Language').selectOption('es');
    await page.getByRole('link', { name: 'Conecta tu CRM' }).click();
    await page.getByRole('heading', { name: 'Conecta tu CRM' }).waitFor();
    // Nothing wider than the screen but the tables, which scroll inside their own box.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow} px wider than the phone`);
    await shoot('crm-phone-es');
    await page.getByLabel('Idioma').selectOption('en');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('creates an agent (token shown once), changes its permissions, rotates its token, then revokes it', async () => {
    await page.getByRole('link', { name: 'Agents' }).click();
    await page.getByLabel('Nickname').fill('ana');
    await page.getByLabel('Name', { exact: true }).fill('Ana García');
    await page.getByRole('button', { name: 'Create an agent' }).click();
    const token = (await page.getByTestId('agent-token').textContent()) ?? '';
    assert.match(token, /^pk_agent_/);
    assert.equal((await parley.api(token, 'GET', '/api/followups?status=due')).status, 200);
    const row = page.locator('tr[data-agent="ana"]');
    await row.getByRole('checkbox', { name: 'ai' }).uncheck();
    await row.getByRole('button', { name: 'Save permissions' }).click();
    await row.getByRole('button', { name: 'Save permissions' }).waitFor({ state: 'detached' });
    const { agents } = (
      await parley.api<{ agents: Array<{ permissions: string[] }> }>(parley.shopToken, 'GET', '/api/agents')
    ).body;
    assert.deepEqual(agents[0]?.permissions.toSorted(), ['conversations', 'panel']);
    await shoot('agents');

    await page.getByRole('button', { name: 'Rotate token: Ana García' }).click();
    await page.getByTestId('agent-token').filter({ hasNotText: token }).waitFor();
    const rotated = (await page.getByTestId('agent-token').textContent()) ?? '';
    assert.equal((await parley.api(token, 'GET', '/api/followups?status=due')).status, 401);
    assert.equal((await parley.api(rotated, 'GET', '/api/followups?status=due')).status, 200);

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Revoke: Ana García' }).click();
    await page.getByText('No agents yet.').waitFor();
    assert.equal((await parley.api(rotated, 'GET', '/api/followups?status=due')).status, 401);
  });

  it('refuses a change without the CSRF header', async () => {
    const refused = await page.evaluate(
      async (): Promise<{ status: number; body: { error: { code: string } } }> => {
        const response = await fetch('/api/agents', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ nickname: 'mallory', name: 'Mallory' }),
        });
        return { status: response.status, body: await response.json() };
      },
    );
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'CSRF_REJECTED');
    assert.deepEqual(
      (await parley.api<{ agents: unknown[] }>(parley.shopToken, 'GET', '/api/agents')).body.agents,
      [],
    );
  });

  it('regenerates the shop token after its preview: the old token and its session end, the new one signs in', async () => {
    await page.getByRole('button', { name: 'Regenerate the shop token' }).click();
    const change = page.getByRole('region', { name: 'Review the change' });
    await change.getByText('replace the shop token').waitFor();
    await change.getByRole('button', { name: 'Confirm and apply' }).click();
    const fresh = (await page.getByTestId('new-shop-token').textContent()) ?? '';
    assert.match(fresh, /^pk_shop_/);
    assert.equal((await parley.api(parley.shopToken, 'GET', '/api/agents')).status, 401);
    assert.equal((await page.request.get(`${parley.url}/api/agents`)).status(), 401);
    await page.getByRole('button', { name: 'Sign in with the new token' }).click();
    await page.getByTestId('signed-in-as').filter({ hasText: 'Tienda Runner' }).waitFor();
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Deliveries' }).waitFor();
  });

  it('ends an expired session: the page asks to sign in again', async () => {
    parley.clock.advance(13 * 60 * 60 * 1000);
    await page.getByRole('link', { name: 'Connect your CRM' }).click();
    await page.getByText('Your session has ended. Sign in again.').waitFor();
    assert.deepEqual(await context.cookies(), []);
  });

  it('lets the admin create a shop, add credits, rotate its token and disable it', async () => {
    await signIn(parley.adminToken);
    await page.getByTestId('signed-in-as').filter({ hasText: 'Administrator' }).waitFor();
    await page.getByLabel('Name').fill('Librería Sur');
    await page.getByRole('button', { name: 'Create a shop' }).click();
    const token = (await page.getByTestId('shop-token').textContent()) ?? '';
    assert.match(token, /^pk_shop_/);
    const row = page.locator('tr', { hasText: 'Librería Sur' });
    await row.getByRole('button', { name: 'Add credits: Librería Sur' }).click();
    await page.getByLabel('Credits', { exact: true }).fill('5000');
    await page.getByLabel('Reference (invoice, payment id)').fill('INV-2026-001');
    await page
      .locator('#shops-credits')
      .locator('..')
      .getByRole('button', { name: 'Add credits', exact: true })
      .click();
    await page.getByRole('status').filter({ hasText: 'Applied.' }).waitFor();
    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Rotate token: Librería Sur' }).click();
    await page.getByTestId('shop-token').filter({ hasNotText: token }).waitFor();
    const rotated = (await page.getByTestId('shop-token').textContent()) ?? '';
    assert.equal((await parley.api(token, 'GET', '/api/agents')).status, 401);
    assert.equal((await parley.api(rotated, 'GET', '/api/agents')).status, 200);
    await row.getByRole('button', { name: 'Disable: Librería Sur' }).click();
    await row.getByText('disabled').waitFor();
    assert.equal((await parley.api(rotated, 'GET', '/api/agents')).status, 401);
    await shoot('shops');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    assert.deepEqual(await context.cookies(), []);
  });

  it('made no request to anything but this server, and the page logged no error', () => {
    assert.ok(requested.length > 10);
    for (const url of requested) assert.ok(url.startsWith(parley.url), `a request left the server: ${url}`);
    // 401/403s the tests provoked are logged by Chromium as failed resources; nothing else may be.
    const unexpected = pageErrors.filter((text) => !/status of 40[13]/.test(text));
    assert.deepEqual(unexpected, []);
  });
});
