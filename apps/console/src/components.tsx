/**
 * The console's building blocks. Everything from the server is rendered as text (Preact escapes
 * strings; nothing uses dangerouslySetInnerHTML), and every control has a visible label.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { Api, RestOutcome, ToolOutcome } from './api.ts';
import { useLanguage, useT } from './i18n.ts';

export function Section({
  title,
  children,
  id,
}: {
  title: string;
  children: ComponentChildren;
  id?: string;
}) {
  return (
    <section class="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

export function Field({
  label,
  children,
  hint,
}: {
  label: string;
  children: ComponentChildren;
  hint?: string;
}) {
  return (
    <label class="field">
      <span class="field-label">{label}</span>
      {children}
      {hint === undefined ? null : <span class="hint">{hint}</span>}
    </label>
  );
}

export function ErrorBox({ message }: { message: string | null }) {
  const t = useT();
  if (message === null) return null;
  return (
    <div class="error" role="alert">
      <strong>{t('common.error')}: </strong>
      <span class="error-text">{message}</span>
    </div>
  );
}

export function Notice({ message }: { message: string | null }) {
  if (message === null) return null;
  return (
    <div class="notice" role="status">
      {message}
    </div>
  );
}

/** Any JSON value as indented text. */
export function JsonBlock({ value, label }: { value: unknown; label?: string }) {
  return (
    <pre class="json" aria-label={label} tabIndex={0}>
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

export function CopyButton({ text, label }: { text: string; label?: string }) {
  const t = useT();
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      class="secondary"
      aria-label={label ?? t('common.copy')}
      onClick={async () => {
        await navigator.clipboard.writeText(text);
        setCopied(true);
      }}
    >
      {copied ? t('common.copied') : t('common.copy')}
    </button>
  );
}

export function Badge({
  tone,
  children,
}: {
  tone: 'ok' | 'warn' | 'bad' | 'neutral';
  children: ComponentChildren;
}) {
  return <span class={`badge ${tone}`}>{children}</span>;
}

export function useDateFormat() {
  const language = useLanguage();
  const format = new Intl.DateTimeFormat(language === 'es' ? 'es-ES' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
  return (value: string | null | undefined) => {
    if (value === null || value === undefined) return '—';
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? value : format.format(date);
  };
}

interface Pending {
  args: Record<string, unknown>;
  summary: string;
  before: unknown;
  after: unknown;
  token: string;
}

/**
 * A tool marked C, run as any MCP client would: first without `confirm` (the tool's own preview,
 * before and after), then, once the user confirms, again with `confirm: true` and the preview's
 * confirmation_token, so nothing changed in between is applied unseen.
 */
export function useConfirmedTool(
  api: Api,
  name: string,
  onApplied: (data: Record<string, unknown>, text: string) => void,
) {
  const [pending, setPending] = useState<Pending | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const start = async (args: Record<string, unknown>) => {
    setError(null);
    setBusy(true);
    const outcome = await api.tool<{
      status: string;
      changes: { before: unknown; after: unknown };
      confirmation_token: string;
    }>(name, args);
    setBusy(false);
    if (!outcome.ok) return setError(outcome.message);
    // A tool that applies without confirmation (plain) has already done it: its result is the outcome.
    if (outcome.data.status !== 'confirmation_required') return onApplied(outcome.data, outcome.text);
    const { changes, confirmation_token } = outcome.data;
    const summary = outcome.text
      .split('\n')
      .slice(0, 2)
      .join(' ')
      .replace(/^⚠️ CONFIRMATION REQUIRED: /, '');
    setPending({ args, summary, before: changes.before, after: changes.after, token: confirmation_token });
  };

  const confirm = async () => {
    if (pending === null) return;
    setBusy(true);
    const outcome: ToolOutcome = await api.tool(name, {
      ...pending.args,
      confirm: true,
      confirmation_token: pending.token,
    });
    setBusy(false);
    setPending(null);
    if (!outcome.ok) return setError(outcome.message);
    onApplied(outcome.data, outcome.text);
  };

  const panel = (
    <>
      <ErrorBox message={error} />
      {pending === null ? null : (
        <ChangePreview pending={pending} busy={busy} onConfirm={confirm} onCancel={() => setPending(null)} />
      )}
    </>
  );
  return { start, panel, busy };
}

function ChangePreview(props: {
  pending: Pending;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const t = useT();
  const { pending } = props;
  return (
    <div class="preview" role="region" aria-label={t('common.preview')}>
      <h3>{t('common.preview')}</h3>
      <p class="preview-summary">{pending.summary}</p>
      <div class="before-after">
        <div>
          <h4>{t('common.before')}</h4>
          <JsonBlock value={pending.before} label={t('common.before')} />
        </div>
        <div>
          <h4>{t('common.after')}</h4>
          <JsonBlock value={pending.after} label={t('common.after')} />
        </div>
      </div>
      <div class="actions">
        <button type="button" disabled={props.busy} onClick={props.onConfirm}>
          {t('common.confirm')}
        </button>
        <button type="button" class="secondary" onClick={props.onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </div>
  );
}

/** Parses a JSON textarea; an empty one is `undefined`. */
export function parseJsonField(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

/**
 * For pages that list something and change it: runs a change, then reloads the list; a refusal is
 * shown as the page's error instead. Resolves with the answer, or null when it was refused.
 */
export function changeThenReload(page: {
  setError: (message: string | null) => void;
  reload: () => Promise<void>;
  /** Clears what the previous change left on the page (a notice). */
  onStart?: () => void;
}) {
  return async <T,>(request: Promise<RestOutcome<T>>): Promise<T | null> => {
    page.setError(null);
    page.onStart?.();
    const outcome = await request;
    if (!outcome.ok) {
      page.setError(outcome.message);
      return null;
    }
    await page.reload();
    return outcome.data;
  };
}
