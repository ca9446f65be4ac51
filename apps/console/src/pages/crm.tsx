/** Connect your CRM: the MCP tools get_crm_endpoints, get_crm_health_status, update_crm_endpoints,
 * test_crm_endpoint, reset_crm_errors and rotate_request_signing_secret, as a page. */
import type { PanelCustomer } from '@parley/contract';
import { crmEndpointTypes } from '@parley/contract';
import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../api.ts';
import {
  Badge,
  CopyButton,
  ErrorBox,
  Field,
  JsonBlock,
  Notice,
  parseJsonField,
  Section,
  useConfirmedTool,
  useDateFormat,
} from '../components.tsx';
import { CustomerPreview } from '../customer-preview.tsx';
import { useT } from '../i18n.ts';

interface Endpoint {
  type: string;
  url: string;
  method: string;
  timeout_ms: number;
  headers: Record<string, string>;
  auth: { type: string; fields: Record<string, string> } | null;
}
interface Health {
  type: string;
  status: string;
  enabled: boolean;
  last_error: { code?: string; message?: string } | string | null;
  last_error_at: string | null;
  latency: { p50_ms: number | null; p95_ms: number | null };
}
interface Issue {
  path: string;
  message: string;
}
interface TestReport {
  ok: boolean;
  http_status: number | null;
  latency_ms: number;
  request: unknown;
  response_excerpt: string | null;
  error: { code: string; message: string } | null;
  validation: { valid: boolean; errors: Issue[]; warnings: Issue[] };
  normalized: { customers?: PanelCustomer[] } | null;
  next_step: string;
}

interface Draft {
  type: string;
  url: string;
  method: string;
  token: string;
  headers: string;
  auth: string;
  timeout: string;
  testPhone: string;
  query: string;
}

const emptyDraft = (type: string): Draft => ({
  type,
  url: '',
  method: 'GET',
  token: '',
  headers: '',
  auth: '',
  timeout: '',
  testPhone: '',
  query: '',
});

export function CrmPage({ api }: { api: Api }) {
  const t = useT();
  const when = useDateFormat();
  const [endpoints, setEndpoints] = useState<Endpoint[] | null>(null);
  const [health, setHealth] = useState<Health[]>([]);
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [report, setReport] = useState<TestReport | null>(null);
  const [testing, setTesting] = useState(false);

  const load = async () => {
    const [listed, healthy] = await Promise.all([
      api.tool<{ endpoints: Endpoint[]; request_signing_secret: string }>('get_crm_endpoints'),
      api.tool<{ endpoints: Health[] }>('get_crm_health_status'),
    ]);
    if (!listed.ok) return setError(listed.message);
    setEndpoints(listed.data.endpoints);
    setSecret(listed.data.request_signing_secret);
    if (healthy.ok) setHealth(healthy.data.endpoints);
  };
  useEffect(() => void load(), []);

  const applied = (message: string) => () => {
    setNotice(message);
    setDraft(null);
    void load();
  };
  const update = useConfirmedTool(api, 'update_crm_endpoints', applied(t('common.applied')));
  const reset = useConfirmedTool(api, 'reset_crm_errors', applied(t('common.applied')));
  const rotate = useConfirmedTool(api, 'rotate_request_signing_secret', applied(t('common.applied')));

  /** The draft as the tools' arguments; a JSON field that does not parse is reported, not sent. */
  const settingsOf = (d: Draft): Record<string, unknown> | null => {
    const headers = parseJsonField(d.headers);
    const auth = parseJsonField(d.auth);
    for (const [field, parsed] of [
      [t('crm.headers'), headers],
      [t('crm.auth'), auth],
    ] as const) {
      if (!parsed.ok) {
        setError(t('crm.invalidJson', { field, error: parsed.error }));
        return null;
      }
    }
    const settings: Record<string, unknown> = { type: d.type, url: d.url, method: d.method };
    if (d.token !== '') settings.token = d.token;
    if (headers.ok && headers.value !== undefined) settings.headers = headers.value;
    if (auth.ok && auth.value !== undefined) settings.auth = auth.value;
    if (d.timeout !== '') settings.timeout_ms = Number(d.timeout);
    return settings;
  };

  const runTest = async (args: Record<string, unknown>) => {
    setError(null);
    setReport(null);
    setTesting(true);
    const outcome = await api.tool<TestReport>('test_crm_endpoint', args);
    setTesting(false);
    if (!outcome.ok) return setError(outcome.message);
    setReport(outcome.data);
  };

  const edit = (type: string) => {
    const stored = endpoints?.find((endpoint) => endpoint.type === type);
    const d = emptyDraft(type);
    if (stored !== undefined) {
      d.url = stored.url;
      d.method = stored.method;
      d.timeout = String(stored.timeout_ms);
      if (Object.keys(stored.headers).length > 0) d.headers = JSON.stringify(stored.headers);
    }
    setReport(null);
    setDraft(d);
  };

  if (endpoints === null) return error === null ? <p>{t('common.loading')}</p> : <ErrorBox message={error} />;
  const healthOf = (type: string) => health.find((entry) => entry.type === type);

  return (
    <>
      <Section title={t('crm.title')} id="crm-title">
        <p class="muted">{t('crm.intro')}</p>
        <Notice message={notice} />
        <div class="table-wrap">
          <table class="grid" aria-label={t('crm.title')}>
            <thead>
              <tr>
                <th scope="col">{t('crm.type')}</th>
                <th scope="col">{t('crm.state')}</th>
                <th scope="col">{t('crm.health')}</th>
                <th scope="col">{t('crm.latency')}</th>
                <th scope="col">{t('crm.lastError')}</th>
                <th scope="col">{t('crm.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {crmEndpointTypes.map((type) => {
                const stored = endpoints.find((endpoint) => endpoint.type === type);
                const h = healthOf(type);
                const lastError = h?.last_error;
                return (
                  <tr key={type} data-endpoint={type}>
                    <th scope="row">
                      <code>{type}</code>
                      {stored === undefined ? null : (
                        <div class="muted small url">{`${stored.method} ${stored.url}`}</div>
                      )}
                    </th>
                    <td>
                      {stored === undefined ? (
                        <Badge tone="neutral">{t('crm.notConfigured')}</Badge>
                      ) : h?.enabled === false ? (
                        <Badge tone="bad">{t('crm.disabled')}</Badge>
                      ) : (
                        <Badge tone="ok">{t('crm.enabled')}</Badge>
                      )}
                    </td>
                    <td>{h?.status ?? '—'}</td>
                    <td>
                      {h === undefined || h.latency.p50_ms === null
                        ? t('crm.latencyNone')
                        : `${h.latency.p50_ms} ms / ${h.latency.p95_ms ?? '—'} ms`}
                    </td>
                    <td>
                      {lastError === null || lastError === undefined
                        ? '—'
                        : `${typeof lastError === 'string' ? lastError : (lastError.message ?? lastError.code ?? '')} (${when(h?.last_error_at)})`}
                    </td>
                    <td class="row-actions">
                      <button
                        type="button"
                        class="secondary"
                        onClick={() => edit(type)}
                        aria-label={`${t('crm.configure')} ${type}`}
                      >
                        {stored === undefined ? t('crm.configure') : t('common.edit')}
                      </button>
                      {stored === undefined ? null : (
                        <>
                          <button
                            type="button"
                            class="secondary"
                            onClick={() => runTest({ type })}
                            aria-label={`${t('crm.test')} ${type}`}
                          >
                            {t('crm.test')}
                          </button>
                          <button
                            type="button"
                            class="danger"
                            onClick={() => update.start({ remove_crm_endpoint: type })}
                            aria-label={`${t('common.remove')} ${type}`}
                          >
                            {t('common.remove')}
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <div class="actions">
          <button type="button" class="secondary" onClick={() => reset.start({})}>
            {t('crm.reset')}
          </button>
        </div>
        {reset.panel}
        {draft === null ? update.panel : null}
        <ErrorBox message={error} />
      </Section>

      {draft === null ? null : (
        <Section title={`${t('crm.editor')}: ${draft.type}`} id="crm-editor">
          <form
            class="form"
            onSubmit={(event) => {
              event.preventDefault();
              const settings = settingsOf(draft);
              if (settings !== null) void update.start({ add_crm_endpoint: settings });
            }}
          >
            <Field label={t('crm.url')}>
              <input
                type="url"
                required
                value={draft.url}
                onInput={(e) => setDraft({ ...draft, url: e.currentTarget.value })}
              />
            </Field>
            <Field label={t('crm.method')}>
              <select
                value={draft.method}
                onChange={(e) => setDraft({ ...draft, method: e.currentTarget.value })}
              >
                <option value="GET">GET</option>
                <option value="POST">POST</option>
              </select>
            </Field>
            <Field label={t('crm.token')} hint={t('crm.secretsNote')}>
              <input
                type="password"
                autocomplete="off"
                value={draft.token}
                onInput={(e) => setDraft({ ...draft, token: e.currentTarget.value })}
              />
            </Field>
            <Field label={t('crm.headers')}>
              <textarea
                rows={2}
                value={draft.headers}
                onInput={(e) => setDraft({ ...draft, headers: e.currentTarget.value })}
              />
            </Field>
            <Field label={t('crm.auth')}>
              <textarea
                rows={2}
                value={draft.auth}
                onInput={(e) => setDraft({ ...draft, auth: e.currentTarget.value })}
              />
            </Field>
            <Field label={t('crm.timeout')}>
              <input
                type="number"
                min={1000}
                max={60000}
                value={draft.timeout}
                onInput={(e) => setDraft({ ...draft, timeout: e.currentTarget.value })}
              />
            </Field>
            <Field label={t('crm.testPhone')}>
              <input
                type="tel"
                placeholder="+34600000000"
                value={draft.testPhone}
                onInput={(e) => setDraft({ ...draft, testPhone: e.currentTarget.value })}
              />
            </Field>
            <Field label={t('crm.query')}>
              <input
                type="text"
                placeholder="test"
                value={draft.query}
                onInput={(e) => setDraft({ ...draft, query: e.currentTarget.value })}
              />
            </Field>
            <div class="actions">
              <button
                type="button"
                class="secondary"
                disabled={testing}
                onClick={() => {
                  const settings = settingsOf(draft);
                  if (settings === null) return;
                  if (draft.testPhone !== '') settings.test_phone = draft.testPhone;
                  if (draft.query !== '') settings.query = draft.query;
                  void runTest(settings);
                }}
              >
                {t('crm.testSettings')}
              </button>
              <button type="submit" disabled={update.busy}>
                {t('common.save')}
              </button>
              <button type="button" class="secondary" onClick={() => setDraft(null)}>
                {t('common.cancel')}
              </button>
            </div>
          </form>
          {update.panel}
        </Section>
      )}

      {testing ? <p role="status">{t('common.loading')}</p> : null}
      {report === null ? null : <TestReportView report={report} />}

      <Section title={t('crm.signing')} id="crm-signing">
        <p class="muted">{t('crm.signingHelp')}</p>
        <div class="secret-row">
          <code class="secret" data-testid="signing-secret">
            {secret}
          </code>
          <CopyButton text={secret} label={`${t('common.copy')} ${t('crm.signing')}`} />
          <button type="button" class="secondary" onClick={() => rotate.start({})}>
            {t('crm.rotate')}
          </button>
        </div>
        {rotate.panel}
      </Section>
    </>
  );
}

function IssueTable({ title, issues }: { title: string; issues: Issue[] }) {
  const t = useT();
  if (issues.length === 0) return null;
  return (
    <table class="grid issues" aria-label={title}>
      <caption>{title}</caption>
      <thead>
        <tr>
          <th scope="col">{t('crm.path')}</th>
          <th scope="col">{t('crm.message')}</th>
        </tr>
      </thead>
      <tbody>
        {issues.map((issue, index) => (
          <tr key={index}>
            <td>
              <code>{issue.path}</code>
            </td>
            <td>{issue.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function TestReportView({ report }: { report: TestReport }) {
  const t = useT();
  const customers = report.normalized?.customers;
  return (
    <Section title={t('crm.report')} id="crm-report">
      <div data-testid="crm-report">
        <p>
          <Badge tone={report.ok && report.validation.valid ? 'ok' : 'bad'}>
            {report.ok && report.validation.valid ? t('crm.reportOk') : t('crm.reportFailed')}
          </Badge>
        </p>
        <dl class="facts">
          <div>
            <dt>{t('crm.httpStatus')}</dt>
            <dd data-testid="crm-http-status">{report.http_status ?? '—'}</dd>
          </div>
          <div>
            <dt>{t('webhooks.latency')}</dt>
            <dd data-testid="crm-latency">{`${report.latency_ms} ms`}</dd>
          </div>
        </dl>
        {report.error === null ? null : (
          <ErrorBox message={`${report.error.code}: ${report.error.message}`} />
        )}
        <h3>{t('crm.request')}</h3>
        <JsonBlock value={report.request} label={t('crm.request')} />
        <IssueTable title={t('crm.errors')} issues={report.validation.errors} />
        <IssueTable title={t('crm.warnings')} issues={report.validation.warnings} />
        {report.validation.errors.length + report.validation.warnings.length === 0 ? (
          <p>{t('crm.noIssues')}</p>
        ) : null}
        <p>
          <strong>{t('crm.nextStep')}: </strong>
          {report.next_step}
        </p>
        {customers === undefined || customers.length === 0 ? null : (
          <>
            <h3>{t('crm.normalized')}</h3>
            <CustomerPreview customers={customers} />
          </>
        )}
        {report.normalized === null ? null : (
          <details>
            <summary>{t('crm.normalizedJson')}</summary>
            <JsonBlock value={report.normalized} />
          </details>
        )}
        {report.response_excerpt === null ? null : (
          <details>
            <summary>{t('crm.response')}</summary>
            <pre class="json">{report.response_excerpt}</pre>
          </details>
        )}
      </div>
    </Section>
  );
}
