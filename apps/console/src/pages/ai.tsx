/** AI: get_ai_config and configure_ai, get_custom_functions and update_custom_functions,
 * get_function_logs, get_credits_info and get_usage_stats (drawn as charts), as a page. */
import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../api.ts';
import { BarChart } from '../bar-chart.tsx';
import {
  ErrorBox,
  Field,
  JsonBlock,
  Notice,
  Section,
  useConfirmedTool,
  useDateFormat,
} from '../components.tsx';
import { useT } from '../i18n.ts';

interface AiConfig {
  shop_settings: { base_url: string | null; model: string | null; has_api_key: boolean };
  effective: Record<string, unknown>;
}
interface CustomFunction {
  function?: { name?: string; description?: string };
  name?: string;
  [key: string]: unknown;
}
interface FunctionCall {
  function?: string;
  name?: string;
  created_at?: string;
  arguments?: unknown;
  request?: unknown;
  response?: unknown;
  result?: unknown;
  [key: string]: unknown;
}
interface Credits {
  total_left: number;
  used_this_month: number;
  renews_at: string;
}
interface Usage {
  from: string;
  to: string;
  by_day: Array<{ date: string; credits: number }>;
  by_feature: Array<{ feature: string; credits: number }>;
}

const nameOf = (fn: CustomFunction) => fn.function?.name ?? fn.name ?? '';

/** Every day of the range, the days without usage at zero, so the chart's x axis is time as it passed. */
function everyDay(usage: Usage): Array<{ date: string; credits: number }> {
  const spent = new Map(usage.by_day.map((day) => [day.date, day.credits]));
  const days: Array<{ date: string; credits: number }> = [];
  for (let day = new Date(`${usage.from}T00:00:00Z`); day <= new Date(`${usage.to}T00:00:00Z`);) {
    const date = day.toISOString().slice(0, 10);
    days.push({ date, credits: spent.get(date) ?? 0 });
    day = new Date(day.getTime() + 86_400_000);
  }
  return days;
}

export function AiPage({ api }: { api: Api }) {
  const t = useT();
  const when = useDateFormat();
  const [config, setConfig] = useState<AiConfig | null>(null);
  const [model, setModel] = useState({ base_url: '', model: '', api_key: '' });
  const [functions, setFunctions] = useState<CustomFunction[]>([]);
  const [calls, setCalls] = useState<FunctionCall[]>([]);
  const [definition, setDefinition] = useState('');
  const [credits, setCredits] = useState<Credits | null>(null);
  const [usage, setUsage] = useState<Usage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = async () => {
    const [ai, fns, logs, info, stats] = await Promise.all([
      api.tool<AiConfig>('get_ai_config'),
      api.tool<{ functions: CustomFunction[] }>('get_custom_functions'),
      api.tool<{ calls: FunctionCall[] }>('get_function_logs'),
      api.tool<Credits>('get_credits_info'),
      api.tool<Usage>('get_usage_stats'),
    ]);
    for (const outcome of [ai, fns, logs, info, stats]) if (!outcome.ok) setError(outcome.message);
    if (ai.ok) {
      setConfig(ai.data);
      setModel({
        base_url: ai.data.shop_settings.base_url ?? '',
        model: ai.data.shop_settings.model ?? '',
        api_key: '',
      });
    }
    if (fns.ok) setFunctions(fns.data.functions);
    if (logs.ok) setCalls(logs.data.calls);
    if (info.ok) setCredits(info.data);
    if (stats.ok) setUsage(stats.data);
  };
  useEffect(() => void load(), []);

  const applied = () => {
    setNotice(t('common.applied'));
    setDefinition('');
    void load();
  };
  const configure = useConfirmedTool(api, 'configure_ai', applied);
  const updateFunctions = useConfirmedTool(api, 'update_custom_functions', applied);

  return (
    <>
      <Section title={t('ai.credits')} id="ai-credits">
        {credits === null ? null : (
          <dl class="facts">
            <div>
              <dt>{t('ai.creditsLeft')}</dt>
              <dd data-testid="credits-left">{credits.total_left.toLocaleString()}</dd>
            </div>
            <div>
              <dt>{t('ai.usedMonth')}</dt>
              <dd>{credits.used_this_month.toLocaleString()}</dd>
            </div>
            <div>
              <dt>{t('ai.renews')}</dt>
              <dd>{when(credits.renews_at)}</dd>
            </div>
          </dl>
        )}
        {usage === null ? null : usage.by_day.length === 0 ? (
          <p>{t('ai.noUsage')}</p>
        ) : (
          <div class="charts">
            <BarChart
              id="usage-by-day"
              title={`${t('ai.usageByDay')} (${usage.from} – ${usage.to})`}
              labels={everyDay(usage).map((day) => day.date.slice(5))}
              values={everyDay(usage).map((day) => day.credits)}
              seriesLabel={t('ai.creditsSeries')}
            />
            <BarChart
              id="usage-by-feature"
              title={t('ai.usageByFeature')}
              labels={usage.by_feature.map((feature) => feature.feature)}
              values={usage.by_feature.map((feature) => feature.credits)}
              seriesLabel={t('ai.creditsSeries')}
            />
          </div>
        )}
      </Section>

      <Section title={t('ai.model')} id="ai-model">
        {config === null ? null : (
          <>
            <h3>{t('ai.effective')}</h3>
            <JsonBlock value={config.effective} />
          </>
        )}
        <form
          class="form"
          onSubmit={(event) => {
            event.preventDefault();
            const args: Record<string, unknown> = {
              base_url: model.base_url === '' ? null : model.base_url,
              model: model.model === '' ? null : model.model,
            };
            if (model.api_key !== '') args.api_key = model.api_key;
            void configure.start(args);
          }}
        >
          <Field label={t('ai.baseUrl')}>
            <input
              type="url"
              value={model.base_url}
              onInput={(e) => setModel({ ...model, base_url: e.currentTarget.value })}
            />
          </Field>
          <Field label={t('ai.modelName')}>
            <input
              value={model.model}
              onInput={(e) => setModel({ ...model, model: e.currentTarget.value })}
            />
          </Field>
          <Field label={t('ai.apiKey')}>
            <input
              type="password"
              autocomplete="off"
              value={model.api_key}
              onInput={(e) => setModel({ ...model, api_key: e.currentTarget.value })}
            />
          </Field>
          <div class="actions">
            <button type="submit">{t('common.save')}</button>
          </div>
        </form>
        {configure.panel}
      </Section>

      <Section title={t('ai.functions')} id="ai-functions">
        <Notice message={notice} />
        <ErrorBox message={error} />
        {functions.length === 0 ? <p>{t('ai.noFunctions')}</p> : null}
        <ul class="plain-list">
          {functions.map((fn) => (
            <li key={nameOf(fn)} class="card">
              <div class="row-actions">
                <code>{nameOf(fn)}</code>
                <button
                  type="button"
                  class="danger"
                  aria-label={`${t('common.remove')} ${nameOf(fn)}`}
                  onClick={() => void updateFunctions.start({ remove_function: nameOf(fn) })}
                >
                  {t('common.remove')}
                </button>
              </div>
              <JsonBlock value={fn} />
            </li>
          ))}
        </ul>
        <form
          class="form"
          onSubmit={(event) => {
            event.preventDefault();
            // Sent as the JSON text: the tool validates it and names the path of every problem.
            void updateFunctions.start({ add_function: definition });
          }}
        >
          <Field label={t('ai.functionJson')}>
            <textarea
              rows={8}
              required
              value={definition}
              onInput={(e) => setDefinition(e.currentTarget.value)}
            />
          </Field>
          <div class="actions">
            <button type="submit">{t('ai.addFunction')}</button>
          </div>
        </form>
        {updateFunctions.panel}
      </Section>

      <Section title={t('ai.calls')} id="ai-calls">
        {calls.length === 0 ? <p>{t('ai.noCalls')}</p> : null}
        {calls.map((call, index) => (
          <details key={index} class="card">
            <summary>{`${call.function ?? call.name ?? ''} · ${when(call.created_at)}`}</summary>
            <JsonBlock value={call} />
          </details>
        ))}
      </Section>
    </>
  );
}
