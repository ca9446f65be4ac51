/** Webhooks: get_webhook_config, configure_webhooks, test_webhook, list_webhook_deliveries,
 * redeliver_webhook and recover_webhooks, as a page. */
import { webhookDeliveryStatuses, webhookEventTypes } from '@parley/contract';
import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../api.ts';
import {
  Badge,
  ErrorBox,
  Field,
  JsonBlock,
  Notice,
  Section,
  useConfirmedTool,
  useDateFormat,
} from '../components.tsx';
import { useT } from '../i18n.ts';

interface WebhookConfig {
  webhook_enabled: boolean;
  webhook_url: string | null;
  webhook_events: string[];
  has_secret: boolean;
  delivery: {
    state: string;
    pause_reason: string | null;
    last_success_at: string | null;
    last_failure_at: string | null;
    failing_since: string | null;
    pending: number;
  };
}
interface Attempt {
  attempt: number;
  started_at: string;
  outcome: string;
  http_status: number | null;
  latency_ms: number | null;
  error: { class?: string; code?: string; message?: string } | null;
  response_excerpt: string | null;
}
interface Delivery {
  event_id: string;
  event: string;
  created_at: string;
  status: string;
  attempt_count: number;
  next_attempt_at: string | null;
  payload: unknown;
  attempts: Attempt[];
}
interface Filters {
  status: string;
  event: string;
  since: string;
}

/** active, paused or disabled as the tool reports it; an active webhook whose deliveries keep failing is "failing". */
const shownState = ({ state, failing_since }: WebhookConfig['delivery']) =>
  state === 'active' && failing_since !== null ? 'failing' : state;
const stateTone = (state: string) =>
  state === 'active' ? 'ok' : state === 'failing' ? 'bad' : state === 'paused' ? 'warn' : 'neutral';
const statusTone = (status: string) =>
  status === 'delivered' ? 'ok' : status === 'failed' || status === 'exhausted' ? 'bad' : 'neutral';

/** A datetime-local value (the browser's zone) as the ISO instant the tools take. */
const isoOf = (local: string) => (local === '' ? undefined : new Date(local).toISOString());

export function WebhooksPage({ api }: { api: Api }) {
  const t = useT();
  const when = useDateFormat();
  const [config, setConfig] = useState<WebhookConfig | null>(null);
  const [form, setForm] = useState({
    enabled: false,
    url: '',
    events: [] as string[],
    secret: '',
    removeSecret: false,
  });
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [test, setTest] = useState<Record<string, unknown> | null>(null);
  const [deliveries, setDeliveries] = useState<Delivery[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [filters, setFilters] = useState<Filters>({ status: '', event: '', since: '' });
  const [recoverSince, setRecoverSince] = useState('');

  const loadConfig = async () => {
    const outcome = await api.tool<WebhookConfig>('get_webhook_config');
    if (!outcome.ok) return setError(outcome.message);
    setConfig(outcome.data);
    setForm({
      enabled: outcome.data.webhook_enabled,
      url: outcome.data.webhook_url ?? '',
      events: outcome.data.webhook_events,
      secret: '',
      removeSecret: false,
    });
  };
  const loadDeliveries = async (more: boolean) => {
    const args: Record<string, unknown> = {};
    if (filters.status !== '') args.status = filters.status;
    if (filters.event !== '') args.event = filters.event;
    const since = isoOf(filters.since);
    if (since !== undefined) args.since = since;
    if (more && cursor !== null) args.cursor = cursor;
    const outcome = await api.tool<{ deliveries: Delivery[]; next_cursor: string | null }>(
      'list_webhook_deliveries',
      args,
    );
    if (!outcome.ok) return setError(outcome.message);
    setDeliveries(more ? [...deliveries, ...outcome.data.deliveries] : outcome.data.deliveries);
    setCursor(outcome.data.next_cursor);
  };
  const refresh = () => Promise.all([loadConfig(), loadDeliveries(false)]);
  useEffect(() => void refresh(), []);

  const configure = useConfirmedTool(api, 'configure_webhooks', () => {
    setNotice(t('common.applied'));
    void loadConfig();
  });

  const save = () => {
    setNotice(null);
    const args: Record<string, unknown> = { webhook_enabled: form.enabled, webhook_events: form.events };
    if (form.url !== '') args.webhook_url = form.url;
    if (form.removeSecret) args.webhook_secret = null;
    else if (form.secret !== '') args.webhook_secret = form.secret;
    void configure.start(args);
  };

  const sendTest = async () => {
    setError(null);
    setTest(null);
    const outcome = await api.tool('test_webhook');
    if (!outcome.ok) return setError(outcome.message);
    setTest(outcome.data);
  };

  const redeliver = async (eventId: string) => {
    setError(null);
    const outcome = await api.tool<{ delivered?: boolean }>('redeliver_webhook', { event_id: eventId });
    if (!outcome.ok) return setError(outcome.message);
    await refresh();
  };

  const recover = async () => {
    setError(null);
    const outcome = await api.tool<{ message: string }>('recover_webhooks', {
      since: isoOf(recoverSince) ?? '',
    });
    if (!outcome.ok) return setError(outcome.message);
    setNotice(outcome.data.message);
    await refresh();
  };

  if (config === null) return error === null ? <p>{t('common.loading')}</p> : <ErrorBox message={error} />;
  return (
    <>
      <Section title={t('webhooks.title')} id="webhooks-title">
        <p class="muted">{t('webhooks.intro')}</p>
        <dl class="facts">
          <div>
            <dt>{t('webhooks.state')}</dt>
            <dd>
              <Badge tone={stateTone(shownState(config.delivery))}>{shownState(config.delivery)}</Badge>
              {config.delivery.pause_reason === null ? null : ` (${config.delivery.pause_reason})`}
            </dd>
          </div>
          <div>
            <dt>{t('webhooks.pending')}</dt>
            <dd data-testid="webhook-pending">{config.delivery.pending}</dd>
          </div>
          <div>
            <dt>{t('webhooks.lastSuccess')}</dt>
            <dd>{when(config.delivery.last_success_at)}</dd>
          </div>
          <div>
            <dt>{t('webhooks.lastFailure')}</dt>
            <dd>{when(config.delivery.last_failure_at)}</dd>
          </div>
        </dl>
        <form
          class="form"
          onSubmit={(event) => {
            event.preventDefault();
            save();
          }}
        >
          <label class="checks">
            <input
              type="checkbox"
              checked={form.enabled}
              onChange={(e) => setForm({ ...form, enabled: e.currentTarget.checked })}
            />
            {t('webhooks.enabled')}
          </label>
          <Field label={t('webhooks.url')}>
            <input
              type="url"
              value={form.url}
              onInput={(e) => setForm({ ...form, url: e.currentTarget.value })}
            />
          </Field>
          <fieldset class="checks">
            <legend>{t('webhooks.events')}</legend>
            {webhookEventTypes.map((event) => (
              <label key={event}>
                <input
                  type="checkbox"
                  checked={form.events.includes(event)}
                  onChange={(e) =>
                    setForm({
                      ...form,
                      events: e.currentTarget.checked
                        ? [...form.events, event]
                        : form.events.filter((x) => x !== event),
                    })
                  }
                />
                <code>{event}</code>
              </label>
            ))}
          </fieldset>
          <Field
            label={t('webhooks.secret')}
            hint={config.has_secret ? t('webhooks.secretSet') : t('webhooks.secretUnset')}
          >
            <input
              type="password"
              autocomplete="off"
              value={form.secret}
              disabled={form.removeSecret}
              onInput={(e) => setForm({ ...form, secret: e.currentTarget.value })}
            />
          </Field>
          {config.has_secret ? (
            <label class="checks">
              <input
                type="checkbox"
                checked={form.removeSecret}
                onChange={(e) => setForm({ ...form, removeSecret: e.currentTarget.checked })}
              />
              {t('webhooks.removeSecret')}
            </label>
          ) : null}
          <div class="actions">
            <button type="submit" disabled={configure.busy}>
              {t('common.save')}
            </button>
            <button type="button" class="secondary" onClick={sendTest}>
              {t('webhooks.sendTest')}
            </button>
          </div>
        </form>
        {configure.panel}
        <Notice message={notice} />
        <ErrorBox message={error} />
        {test === null ? null : (
          <div data-testid="webhook-test">
            <h3>{t('webhooks.testResult')}</h3>
            <p>
              <Badge tone={test.delivered === true ? 'ok' : 'bad'}>
                {test.delivered === true ? t('webhooks.delivered') : t('webhooks.notDelivered')}
              </Badge>{' '}
              {`HTTP ${String(test.http_status ?? '—')} · ${String(test.latency_ms)} ms`}
            </p>
            <JsonBlock value={test} />
          </div>
        )}
      </Section>

      <Section title={t('webhooks.deliveries')} id="webhooks-deliveries">
        <form
          class="filters"
          onSubmit={(event) => {
            event.preventDefault();
            void loadDeliveries(false);
          }}
        >
          <Field label={t('webhooks.status')}>
            <select
              value={filters.status}
              onChange={(e) => setFilters({ ...filters, status: e.currentTarget.value })}
            >
              <option value="">{t('common.all')}</option>
              {webhookDeliveryStatuses.map((status) => (
                <option key={status} value={status}>
                  {status}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('webhooks.event')}>
            <select
              value={filters.event}
              onChange={(e) => setFilters({ ...filters, event: e.currentTarget.value })}
            >
              <option value="">{t('common.all')}</option>
              {webhookEventTypes.map((event) => (
                <option key={event} value={event}>
                  {event}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('webhooks.since')}>
            <input
              type="datetime-local"
              value={filters.since}
              onInput={(e) => setFilters({ ...filters, since: e.currentTarget.value })}
            />
          </Field>
          <div class="actions">
            <button type="submit">{t('common.filter')}</button>
            <button type="button" class="secondary" onClick={() => void refresh()}>
              {t('common.refresh')}
            </button>
          </div>
        </form>
        {deliveries.length === 0 ? <p>{t('webhooks.noDeliveries')}</p> : null}
        <ul class="deliveries" aria-label={t('webhooks.deliveries')}>
          {deliveries.map((delivery) => (
            <li key={delivery.event_id} class="card delivery" data-event-id={delivery.event_id}>
              <div class="row-actions">
                <Badge tone={statusTone(delivery.status)}>{delivery.status}</Badge>
                <code>{delivery.event}</code>
                <code class="muted">{delivery.event_id}</code>
                <span class="muted">{when(delivery.created_at)}</span>
                <span>{`${t('webhooks.attempts')}: ${delivery.attempt_count}`}</span>
                <button
                  type="button"
                  class="secondary"
                  onClick={() => void redeliver(delivery.event_id)}
                  aria-label={`${t('webhooks.redeliver')} ${delivery.event_id}`}
                >
                  {t('webhooks.redeliver')}
                </button>
              </div>
              <div class="table-wrap">
                <table class="grid attempts" aria-label={`${t('webhooks.attempts')} ${delivery.event_id}`}>
                  <thead>
                    <tr>
                      <th scope="col">{t('webhooks.attempt')}</th>
                      <th scope="col">{t('webhooks.outcome')}</th>
                      <th scope="col">HTTP</th>
                      <th scope="col">{t('webhooks.latency')}</th>
                      <th scope="col">{t('webhooks.errorCol')}</th>
                      <th scope="col">{t('webhooks.excerpt')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {delivery.attempts.map((attempt) => (
                      <tr key={attempt.attempt}>
                        <td>{`${attempt.attempt} · ${when(attempt.started_at)}`}</td>
                        <td>{attempt.outcome}</td>
                        <td>{attempt.http_status ?? '—'}</td>
                        <td>{attempt.latency_ms === null ? '—' : `${attempt.latency_ms} ms`}</td>
                        <td>
                          {attempt.error === null ? '—' : (attempt.error.message ?? attempt.error.code ?? '')}
                        </td>
                        <td>
                          <code class="small">{attempt.response_excerpt ?? ''}</code>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <details>
                <summary>{t('webhooks.payload')}</summary>
                <JsonBlock value={delivery.payload} />
              </details>
            </li>
          ))}
        </ul>
        {cursor === null ? null : (
          <button type="button" class="secondary" onClick={() => void loadDeliveries(true)}>
            {t('common.loadMore')}
          </button>
        )}
        <form
          class="filters"
          onSubmit={(event) => {
            event.preventDefault();
            void recover();
          }}
        >
          <Field label={t('webhooks.recover')}>
            <input
              type="datetime-local"
              required
              value={recoverSince}
              onInput={(e) => setRecoverSince(e.currentTarget.value)}
            />
          </Field>
          <div class="actions">
            <button type="submit" class="secondary">
              {t('webhooks.recoverButton')}
            </button>
          </div>
        </form>
      </Section>
    </>
  );
}
