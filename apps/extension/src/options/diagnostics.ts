/**
 * "What Parley sees on this page": what the content script of the WhatsApp tab used last could read
 * at its last detection (WhatsApp's store, the message format, the chat and where its number came
 * from), so an agent or an integrator can tell what broke after a WhatsApp update.
 */
import type { TabChat } from '../shared/chat-registry.ts';
import type { Translate } from '../panel/i18n.ts';

export interface DiagnosticRow {
  /** A stable name for tests: `data-diagnostic` of the row. */
  key: 'store' | 'messages' | 'detection';
  label: string;
  value: string;
}

/** The rows to show; empty when no WhatsApp tab reported yet. */
export function diagnosticRows(
  seen: TabChat | null,
  t: Translate,
  time: (iso: string) => string,
): DiagnosticRow[] {
  if (seen === null) return [];
  const { chat, status } = seen;
  const at = time(status.detectedAt);
  let detection: string;
  if (chat.kind === 'none') detection = t('diagnostics.detection.none', { time: at });
  else {
    const source = t(`diagnostics.source.${chat.source}`);
    detection =
      chat.kind === 'phone'
        ? t('diagnostics.detection.phone', { phone: chat.phone, source, time: at })
        : t('diagnostics.detection.noPhone', {
            reason: t(`diagnostics.reason.${chat.reason}`),
            source,
            time: at,
          });
  }
  return [
    { key: 'store', label: t('diagnostics.store'), value: t(`diagnostics.store.${status.store}`) },
    {
      key: 'messages',
      label: t('diagnostics.messages'),
      value:
        status.messages === null
          ? t('diagnostics.messages.noChat')
          : t(`diagnostics.messages.${status.messages}`),
    },
    { key: 'detection', label: t('diagnostics.detection'), value: detection },
  ];
}
