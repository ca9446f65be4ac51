/**
 * The colour of an order or tracking status badge. CRMs send free text in their own language, so
 * this matches the usual words (English and Spanish) and falls back to neutral.
 */
export type StatusTone = 'success' | 'info' | 'warning' | 'danger' | 'neutral';

const rules: ReadonlyArray<[StatusTone, RegExp]> = [
  ['danger', /cancel|refund|reembols|devuel|return|fail|fall|rechaz|declin|lost|perdid|incidenc|exception/],
  ['success', /deliver|entreg|complet|paid|pagad|fulfil|closed|cerrad/],
  ['info', /ship|envi|transit|tránsito|transito|dispatch|out for|reparto|camino/],
  ['warning', /pend|process|prepar|hold|espera|await|unpaid|draft|borrador|new|nuev/],
];

export function statusTone(status: string | null): StatusTone {
  if (status === null) return 'neutral';
  const text = status.toLowerCase();
  return rules.find(([, pattern]) => pattern.test(text))?.[0] ?? 'neutral';
}
