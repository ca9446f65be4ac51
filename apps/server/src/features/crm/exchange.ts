/**
 * One call to a CRM endpoint and what came of it, with no side effect in Parley: the connector adds
 * health and latency on top, the probe its re-enabling, test_crm_endpoint its report. Upstream
 * problems are results; only a fault (a bug, a closed database) throws. It is the only way to the CRM,
 * and it goes through the app's per-shop gate (crm-gate.ts), so every caller counts against one limit.
 */
import {
  CRM_TIMEOUT_MAX_MS,
  type CrmAnswerIssue,
  type CrmEndpointMethod,
  type CrmEndpointType,
  type PanelCrmAnswers,
} from '@parley/contract';
import type { AppDeps } from '../../app-deps.ts';
import { afterPendingIo } from '../../lib/after-pending-io.ts';
import type { TargetCredentials } from '../../lib/credentials.ts';
import { OutboundError, type OutboundResponse } from '../../lib/outbound/index.ts';
import { basicCredentials, buildCrmRequest, type CrmCallParams, type CrmRequest } from './build-request.ts';
import { timeoutAdvice, type CrmCallError } from './call-errors.ts';
import type { Gated } from './crm-gate.ts';
import { readCrmAnswer } from './read-answer.ts';
import { createSecretScrubber, type SecretScrubber } from './secret-scrubber.ts';

/** docs/crm-endpoints.md#timeouts-size-redirects-and-addresses */
const CONNECT_TIMEOUT_MS = 5_000;
const MAX_RESPONSE_BYTES = 2 * 1024 * 1024;

export interface CrmTarget {
  url: string;
  method: CrmEndpointMethod;
  timeoutMs: number;
  credentials: TargetCredentials;
  /** The shop's request-signing secret, in clear. */
  signingSecret: string;
}

export type CrmExchangeResult<T extends CrmEndpointType> =
  | {
      ok: true;
      answer: PanelCrmAnswers[T];
      warnings: CrmAnswerIssue[];
      latencyMs: number;
      httpStatus: number;
    }
  | {
      ok: false;
      error: CrmCallError;
      latencyMs: number;
      httpStatus?: number;
      validation?: { errors: CrmAnswerIssue[]; warnings: CrmAnswerIssue[] };
    };

/**
 * A target with what every call to it derives from its secrets, made once: the connector keeps it
 * with its cached endpoint, so a call neither decrypts the secrets nor rebuilds the scrubber.
 */
export interface PreparedTarget {
  target: CrmTarget;
  /** Hides this target's secrets in text the CRM sent back. */
  scrubber: SecretScrubber;
}

export interface CrmExchange<T extends CrmEndpointType> {
  request: CrmRequest;
  /** Undefined when no answer came (refused, timed out, connection failed). */
  response: OutboundResponse | undefined;
  result: CrmExchangeResult<T>;
  /** Hides this target's secrets in text the CRM sent back. */
  scrubber: SecretScrubber;
}

/** Everything that could travel as a credential, including the Basic form of username and password. */
function secretsOf({ credentials, signingSecret }: CrmTarget): string[] {
  const { token, headers, auth } = credentials;
  const secrets = [signingSecret, ...Object.values(headers ?? {}), ...Object.values(auth?.fields ?? {})];
  if (token !== undefined) secrets.push(token);
  if (auth?.type === 'basic') secrets.push(basicCredentials(auth.fields));
  return secrets;
}

export const prepareTarget = (target: CrmTarget): PreparedTarget => ({
  target,
  scrubber: createSecretScrubber(secretsOf(target)),
});

function outboundFailure(error: OutboundError): CrmCallError {
  const advice = error.code === 'TIMEOUT' ? timeoutAdvice : '';
  return { code: error.code, message: error.message + advice };
}

const msSince = (started: number) => Math.round(performance.now() - started);

type ExchangeDeps = Pick<AppDeps, 'outbound' | 'clock' | 'version'>;

/** The call for `shopId`, once its gate lets it through; busy (nothing sent) when the shop's queue is full. */
export async function exchangeWithCrm<T extends CrmEndpointType>(
  deps: ExchangeDeps & Pick<AppDeps, 'crmGate'>,
  shopId: string,
  target: PreparedTarget,
  type: T,
  params: CrmCallParams,
): Promise<Gated<CrmExchange<T>>> {
  return deps.crmGate.run(shopId, () => exchangeOnce(deps, target, type, params));
}

async function exchangeOnce<T extends CrmEndpointType>(
  deps: ExchangeDeps,
  { target, scrubber }: PreparedTarget,
  type: T,
  params: CrmCallParams,
): Promise<CrmExchange<T>> {
  const request = buildCrmRequest({
    url: target.url,
    method: target.method,
    credentials: target.credentials,
    params,
    signingSecret: target.signingSecret,
    now: deps.clock.now(),
    version: deps.version,
  });
  const started = performance.now();
  let response: OutboundResponse;
  try {
    response = await deps.outbound.request({
      url: request.url,
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      timeoutMs: Math.min(target.timeoutMs, CRM_TIMEOUT_MAX_MS),
      connectTimeoutMs: CONNECT_TIMEOUT_MS,
      maxResponseBytes: MAX_RESPONSE_BYTES,
    });
  } catch (error) {
    if (!(error instanceof OutboundError)) throw error;
    return {
      request,
      response: undefined,
      result: { ok: false, error: outboundFailure(error), latencyMs: msSince(started) },
      scrubber,
    };
  }
  // The CRM's time, not Parley's parsing: what health reports and what an integrator can act on.
  const latencyMs = msSince(started);
  // The answer is read after the event loop's poll phase, not in it. undici writes a request on a
  // reused keep-alive connection only once that phase is over (it first lets bytes the server sent
  // while the connection was idle arrive: GHSA-35p6-xmwp-9g52), so every CRM call started in this
  // turn, such as other agents' lookups, waits for all the work the turn still holds. What follows an
  // answer (reading and normalizing it, then the panel's reply to the agent: ~200 µs in a profile)
  // costs several times what writing a request does (~30 to 40 µs): the calls waiting go out first. At 8 lookups in flight the panel's added p50 went from a
  // median of 2.2 to 1.55 ms (bench/README.md).
  await afterPendingIo();
  const result: CrmExchangeResult<T> = {
    ...readCrmAnswer(type, response, scrubber),
    latencyMs,
    httpStatus: response.status,
  };
  return { request, response, result, scrubber };
}
