/**
 * Why a CRM call failed, as a stable code and a message that says what to fix. The codes of the
 * outbound client (policy, network, size) pass through unchanged; the three below are about the answer.
 * Messages never carry a credential: the outbound client names URLs without their query string, and
 * whatever the CRM sent back is scrubbed of the endpoint's secrets before it is quoted.
 */
import type { OutboundErrorCode } from '../../lib/outbound/index.ts';

export type CrmErrorCode =
  | OutboundErrorCode
  /** A status outside 2xx. */
  | 'HTTP_STATUS'
  /** A 2xx answer whose body is empty or not JSON. */
  | 'NOT_JSON'
  /** JSON whose top-level shape cannot be used (parseCrmAnswer's errors). */
  | 'BAD_SHAPE';

export interface CrmCallError {
  code: CrmErrorCode;
  message: string;
}

/** A hint per status class: the first thing to check when a CRM answers it. */
function statusHint(status: number): string {
  if (status === 401 || status === 403) {
    return "the CRM refused the credentials: check the endpoint's token, headers and auth, and that it verifies X-Parley-Signature with the current request_signing_secret";
  }
  if (status === 404) {
    return 'check the URL path; when nothing matches, answer 200 with {"found": false} rather than 404';
  }
  if (status === 429) return 'the CRM is rate limiting Parley; raise its limit for these calls';
  if (status >= 500) return 'the CRM failed while answering; its own logs say why';
  return 'answer 200 with JSON, {"found": false} when nothing matches';
}

export const httpStatusError = (status: number, excerpt: string): CrmCallError => ({
  code: 'HTTP_STATUS',
  message:
    `The CRM answered HTTP ${status}; Parley needs 200 with JSON. Hint: ${statusHint(status)}. ` +
    (excerpt === '' ? 'The response body was empty.' : `The response starts: ${excerpt}`),
});

export const notJsonError = (
  status: number,
  contentType: string | undefined,
  reason: string,
  excerpt: string,
): CrmCallError => ({
  code: 'NOT_JSON',
  message:
    `The CRM answered ${status} but ${reason} (Content-Type: ${contentType ?? 'none'}). ` +
    'Answer with a JSON object, such as {"found": false} when nothing matches.' +
    (excerpt === '' ? '' : ` The response starts: ${excerpt}`),
});

/** The errors with their JSONPath, so the integrator sees every problem in one message. */
export const badShapeError = (errors: readonly { path: string; message: string }[]): CrmCallError => ({
  code: 'BAD_SHAPE',
  message: `The CRM's answer cannot be used: ${errors.map((error) => `${error.path}: ${error.message}`).join('; ')}`,
});

/** Only the time limit can be changed by the integrator from Parley; the outbound message says the rest. */
export const timeoutAdvice =
  ' Make the endpoint answer faster, or raise its timeout_ms (at most 60000) with update_crm_endpoints.';
