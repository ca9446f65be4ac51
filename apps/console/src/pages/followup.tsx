/** Smart Follow-up: get/save_smart_followup_config, trigger_smart_followup, get_smart_followup_logs
 * and get_smart_followup_stats (the funnel and skip reasons drawn as charts), as a page. */
import { followupActions, followupIntentLevels, followupOutcomes, followupPeriods } from '@parley/contract';
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

type Settings = Record<string, unknown> & {
  enabled: boolean;
  run_hour: number;
  lookback_hours: number;
  min_intent_level: string;
  max_attempts: number;
  max_conversations: number;
  followup_tone: string;
  custom_instructions: string;
  exclude_phones: string[];
  agent_queue: boolean;
  run_days: number[];
  sending_window_start: number | null;
  sending_window_end: number | null;
};
interface Config {
  settings: Settings;
  timezone: string;
  next_run_at: string | null;
  last_run: Record<string, unknown> | null;
  warnings: string[];
}
interface LogEntry {
  id?: string;
  created_at?: string;
  chat_phone?: string;
  phone?: string;
  action?: string;
  intent_level?: string | null;
  outcome?: string | null;
  skip_reason?: string | null;
  followup?: { status?: string } | null;
  [key: string]: unknown;
}
interface Logs {
  page: number;
  pages: number;
  total: number;
  entries: LogEntry[];
}
interface Stats {
  funnel: Record<string, number>;
  skip_reasons: Record<string, number>;
}
interface LogFilters {
  period: string;
  intent_level: string;
  action_taken: string;
  outcome: string;
  search: string;
}

/** The numeric and text settings the form edits; the tool validates them and names the ranges. */
const numberSettings = [
  'run_hour',
  'lookback_hours',
  'max_attempts',
  'retry_interval_hours',
  'max_conversations',
  'delay_days',
  'tracking_days',
  'reset_attempts_days',
] as const;

/** Hours of the sending window: empty means no window (any hour). */
const windowSettings = ['sending_window_start', 'sending_window_end'] as const;
/** run_days: 0 = Sunday … 6 = Saturday, as the tool takes them. */
const weekdays = [1, 2, 3, 4, 5, 6, 0] as const;

export function FollowupPage({ api }: { api: Api }) {
  const t = useT();
  const when = useDateFormat();
  const [config, setConfig] = useState<Config | null>(null);
  const [form, setForm] = useState<Record<string, string | boolean>>({});
  const [logs, setLogs] = useState<Logs | null>(null);
  const [stats, setStats] = useState<Stats | null>(null);
  const [filters, setFilters] = useState<LogFilters>({
    period: 'last_7_days',
    intent_level: '',
    action_taken: '',
    outcome: '',
    search: '',
  });
  const [page, setPage] = useState(1);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const loadConfig = async () => {
    const outcome = await api.tool<Config>('get_smart_followup_config');
    if (!outcome.ok) return setError(outcome.message);
    setConfig(outcome.data);
    const s = outcome.data.settings;
    const next: Record<string, string | boolean> = {
      enabled: s.enabled,
      agent_queue: s.agent_queue,
      min_intent_level: s.min_intent_level,
      followup_tone: s.followup_tone,
      custom_instructions: s.custom_instructions,
      exclude_phones: s.exclude_phones.join('\n'),
    };
    for (const key of numberSettings) next[key] = String(s[key] ?? '');
    for (const key of windowSettings) next[key] = s[key] === null ? '' : String(s[key]);
    for (const day of weekdays) next[`day${day}`] = s.run_days.includes(day);
    setForm(next);
  };
  const loadLogs = async (wanted: number) => {
    const args: Record<string, unknown> = { period: filters.period, page: wanted };
    for (const key of ['intent_level', 'action_taken', 'outcome', 'search'] as const)
      if (filters[key] !== '') args[key] = filters[key];
    const [logged, summed] = await Promise.all([
      api.tool<Logs>('get_smart_followup_logs', args),
      api.tool<Stats>('get_smart_followup_stats', { period: filters.period }),
    ]);
    if (!logged.ok) return setError(logged.message);
    setLogs(logged.data);
    setPage(wanted);
    if (summed.ok) setStats(summed.data);
  };
  useEffect(() => {
    void loadConfig();
    void loadLogs(1);
  }, []);

  const save = useConfirmedTool(api, 'save_smart_followup_config', () => {
    setNotice(t('common.applied'));
    void loadConfig();
  });

  const submit = () => {
    const args: Record<string, unknown> = {
      enabled: form.enabled,
      agent_queue: form.agent_queue,
      min_intent_level: form.min_intent_level,
      followup_tone: form.followup_tone,
      custom_instructions: form.custom_instructions,
      exclude_phones: String(form.exclude_phones)
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== ''),
    };
    for (const key of numberSettings) args[key] = Number(form[key]);
    for (const key of windowSettings) args[key] = form[key] === '' ? null : Number(form[key]);
    args.run_days = weekdays.filter((day) => form[`day${day}`] === true);
    void save.start(args);
  };

  const runNow = useConfirmedTool(api, 'trigger_smart_followup', () => {
    setNotice(t('followup.started'));
    void loadConfig();
  });

  const funnel = stats === null ? [] : Object.entries(stats.funnel);
  const skips = stats === null ? [] : Object.entries(stats.skip_reasons);
  return (
    <>
      <Section title={t('followup.title')} id="followup-title">
        {config === null ? null : (
          <dl class="facts">
            <div>
              <dt>{t('followup.nextRun')}</dt>
              <dd>{when(config.next_run_at)}</dd>
            </div>
            <div>
              <dt>{t('followup.lastRun')}</dt>
              <dd>
                {config.last_run === null
                  ? t('common.never')
                  : when(String(config.last_run.started_at ?? config.last_run.finished_at ?? ''))}
              </dd>
            </div>
          </dl>
        )}
        {config?.warnings.map((warning) => (
          <p key={warning} class="notice warn-text">
            {warning}
          </p>
        ))}
        <div class="actions">
          <button type="button" onClick={() => void runNow.start({})}>
            {t('followup.runNow')}
          </button>
        </div>
        {runNow.panel}
        <Notice message={notice} />
        <ErrorBox message={error} />
        <div class="charts">
          {funnel.length === 0 ? null : (
            <BarChart
              id="followup-funnel"
              title={t('followup.funnel')}
              labels={funnel.map(([k]) => k)}
              values={funnel.map(([, v]) => v)}
              seriesLabel={t('followup.count')}
            />
          )}
          {skips.length === 0 ? null : (
            <BarChart
              id="followup-skips"
              title={t('followup.skipReasons')}
              labels={skips.map(([k]) => k)}
              values={skips.map(([, v]) => v)}
              seriesLabel={t('followup.count')}
            />
          )}
        </div>
      </Section>

      <Section title={t('followup.settings')} id="followup-settings">
        <form
          class="form"
          onSubmit={(event) => {
            event.preventDefault();
            submit();
          }}
        >
          <label class="checks">
            <input
              type="checkbox"
              checked={form.enabled === true}
              onChange={(e) => setForm({ ...form, enabled: e.currentTarget.checked })}
            />
            {t('fu.enabled')}
          </label>
          <label class="checks">
            <input
              type="checkbox"
              checked={form.agent_queue === true}
              onChange={(e) => setForm({ ...form, agent_queue: e.currentTarget.checked })}
            />
            {t('fu.agent_queue')}
          </label>
          <fieldset class="checks">
            <legend>{t('fu.run_days')}</legend>
            {weekdays.map((day) => (
              <label key={day}>
                <input
                  type="checkbox"
                  checked={form[`day${day}`] === true}
                  onChange={(e) => setForm({ ...form, [`day${day}`]: e.currentTarget.checked })}
                />
                {t(`fu.day${day}`)}
              </label>
            ))}
          </fieldset>
          {windowSettings.map((key) => (
            <Field key={key} label={t(`fu.${key}`)}>
              <input
                type="number"
                min={0}
                max={23}
                value={String(form[key] ?? '')}
                onInput={(e) => setForm({ ...form, [key]: e.currentTarget.value })}
              />
            </Field>
          ))}
          {numberSettings.map((key) => (
            <Field key={key} label={t(`fu.${key}`)}>
              <input
                type="number"
                value={String(form[key] ?? '')}
                onInput={(e) => setForm({ ...form, [key]: e.currentTarget.value })}
              />
            </Field>
          ))}
          <Field label={t('fu.min_intent_level')}>
            <select
              value={String(form.min_intent_level ?? '')}
              onChange={(e) => setForm({ ...form, min_intent_level: e.currentTarget.value })}
            >
              {['low', 'medium', 'high'].map((level) => (
                <option key={level}>{level}</option>
              ))}
            </select>
          </Field>
          <Field label={t('fu.followup_tone')}>
            <select
              value={String(form.followup_tone ?? '')}
              onChange={(e) => setForm({ ...form, followup_tone: e.currentTarget.value })}
            >
              {['friendly', 'professional', 'casual'].map((tone) => (
                <option key={tone}>{tone}</option>
              ))}
            </select>
          </Field>
          <Field label={t('fu.custom_instructions')}>
            <textarea
              rows={3}
              value={String(form.custom_instructions ?? '')}
              onInput={(e) => setForm({ ...form, custom_instructions: e.currentTarget.value })}
            />
          </Field>
          <Field label={t('fu.exclude_phones')}>
            <textarea
              rows={3}
              value={String(form.exclude_phones ?? '')}
              onInput={(e) => setForm({ ...form, exclude_phones: e.currentTarget.value })}
            />
          </Field>
          <div class="actions">
            <button type="submit">{t('common.save')}</button>
          </div>
        </form>
        {save.panel}
      </Section>

      <Section title={t('followup.logs')} id="followup-logs">
        <form
          class="filters"
          onSubmit={(event) => {
            event.preventDefault();
            void loadLogs(1);
          }}
        >
          <Field label={t('followup.period')}>
            <select
              value={filters.period}
              onChange={(e) => setFilters({ ...filters, period: e.currentTarget.value })}
            >
              {followupPeriods
                .filter((period) => period !== 'custom')
                .map((period) => (
                  <option key={period}>{period}</option>
                ))}
            </select>
          </Field>
          <Field label={t('followup.intent')}>
            <select
              value={filters.intent_level}
              onChange={(e) => setFilters({ ...filters, intent_level: e.currentTarget.value })}
            >
              <option value="">{t('common.all')}</option>
              {followupIntentLevels.map((level) => (
                <option key={level}>{level}</option>
              ))}
            </select>
          </Field>
          <Field label={t('followup.action')}>
            <select
              value={filters.action_taken}
              onChange={(e) => setFilters({ ...filters, action_taken: e.currentTarget.value })}
            >
              <option value="">{t('common.all')}</option>
              {followupActions.map((action) => (
                <option key={action}>{action}</option>
              ))}
            </select>
          </Field>
          <Field label={t('followup.outcome')}>
            <select
              value={filters.outcome}
              onChange={(e) => setFilters({ ...filters, outcome: e.currentTarget.value })}
            >
              <option value="">{t('common.all')}</option>
              {followupOutcomes.map((outcome) => (
                <option key={outcome}>{outcome}</option>
              ))}
            </select>
          </Field>
          <Field label={t('followup.search')}>
            <input
              value={filters.search}
              onInput={(e) => setFilters({ ...filters, search: e.currentTarget.value })}
            />
          </Field>
          <div class="actions">
            <button type="submit">{t('common.filter')}</button>
          </div>
        </form>
        {logs === null || logs.entries.length > 0 ? null : <p>{t('followup.noLogs')}</p>}
        {logs === null || logs.entries.length === 0 ? null : (
          <>
            <div class="table-wrap">
              <table class="grid" aria-label={t('followup.logs')}>
                <thead>
                  <tr>
                    <th scope="col">{t('followup.when')}</th>
                    <th scope="col">{t('followup.phone')}</th>
                    <th scope="col">{t('followup.action')}</th>
                    <th scope="col">{t('followup.intent')}</th>
                    <th scope="col">{t('followup.outcome')}</th>
                    <th scope="col">{t('followup.detail')}</th>
                  </tr>
                </thead>
                <tbody>
                  {logs.entries.map((entry, index) => (
                    <tr key={entry.id ?? index}>
                      <td>{when(entry.created_at)}</td>
                      <td>{entry.chat_phone ?? entry.phone ?? '—'}</td>
                      <td>{entry.action ?? '—'}</td>
                      <td>{entry.intent_level ?? '—'}</td>
                      <td>{entry.outcome ?? '—'}</td>
                      <td>
                        {entry.skip_reason ?? entry.followup?.status ?? ''}
                        <details>
                          <summary>{t('common.details')}</summary>
                          <JsonBlock value={entry} />
                        </details>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div class="actions">
              <button
                type="button"
                class="secondary"
                disabled={page <= 1}
                onClick={() => void loadLogs(page - 1)}
              >
                {t('followup.prev')}
              </button>
              <span>{t('followup.page', { page: logs.page, pages: logs.pages })}</span>
              <button
                type="button"
                class="secondary"
                disabled={page >= logs.pages}
                onClick={() => void loadLogs(page + 1)}
              >
                {t('followup.next')}
              </button>
            </div>
          </>
        )}
      </Section>
    </>
  );
}
