/**
 * test_crm_endpoint (docs/crm-endpoints.md#iterate-with-test_crm_endpoint): one real call, built, signed and
 * policed exactly as production does (it goes through the same exchange), reported in full so an integrator
 * can iterate against it: the request as sent (credentials redacted), the answer, and the validation with
 * JSON paths. It writes nothing: health counters and latency are for production calls only.
 */
import { z } from 'zod';
import {
  crmEndpointDefinition,
  crmEndpointType,
  type CrmAnswerIssue,
  type CrmEndpointType,
} from '@parley/contract';
import type { AppDeps } from '../../app-deps.ts';
import { AppError, badRequest, notFound } from '../../lib/errors.ts';
import { parseInput } from '../../lib/validation.ts';
import { exchangeWithCrm, prepareTarget, type CrmExchange, type PreparedTarget } from './exchange.ts';
import { openStoredTarget } from './open-target.ts';
import { CRM_TEST_PHONE, CRM_TEST_QUERY, sampleCrmParams } from './sample-params.ts';
import { getRequestSigningSecret } from './signing-secret.ts';
import { selectEndpointWithSecret } from './store.ts';

/** The arguments as the MCP layer hands them over: shapes are checked here, with paths in messages. */
export interface TestCrmEndpointInput {
  type: string;
  url?: string | undefined;
  method?: string | undefined;
  token?: string | undefined;
  headers?: unknown;
  auth?: unknown;
  timeout_ms?: number | undefined;
  test_phone?: string | undefined;
  query?: string | undefined;
}

const EXCERPT_CHARS = 2_000;
/** Settings that describe an endpoint to test; without `url` the stored endpoint is tested instead. */
const settingNames = ['method', 'token', 'headers', 'auth', 'timeout_ms'] as const;

const callInput = z.object({
  type: crmEndpointType,
  test_phone: z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, 'must be a phone in E.164 form, such as +34600000000')
    .default(CRM_TEST_PHONE),
  query: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(200, 'must be at most 200 characters')
    .default(CRM_TEST_QUERY),
});

/** Refused before sending (nothing reached the CRM): a tool error, like any invalid argument. */
const refusedBeforeSending = new Set(['INVALID_URL', 'BLOCKED_TARGET', 'HTTPS_REQUIRED']);

interface Tested {
  target: PreparedTarget;
  /** Whether the stored endpoint was tested, and whether it is enabled. */
  stored: { enabled: boolean } | null;
}

async function storedTarget(
  deps: AppDeps,
  shopId: string,
  type: CrmEndpointType,
  input: TestCrmEndpointInput,
): Promise<Tested> {
  const given = settingNames.filter((name) => input[name] !== undefined);
  if (given.length > 0) {
    throw badRequest(
      `${given.join(', ')} only apply together with url: pass url as well to test these settings before saving ` +
        `them, or leave ${given.length === 1 ? 'it' : 'them'} out to test the stored ${type} endpoint.`,
    );
  }
  const stored = await selectEndpointWithSecret(deps.db, shopId, type);
  if (stored === undefined) {
    throw notFound(
      `No ${type} endpoint is configured, so there is nothing stored to test. Pass url (and method, token, ` +
        'headers, auth as needed) to test an endpoint before saving it, then save it with update_crm_endpoints.',
    );
  }
  return { target: openStoredTarget(deps, stored), stored: { enabled: stored.endpoint.enabled } };
}

async function givenTarget(deps: AppDeps, shopId: string, input: TestCrmEndpointInput): Promise<Tested> {
  const { type, url, method, token, headers, auth, timeout_ms } = input;
  // The same schema as update_crm_endpoints: what passes here can be saved as it is.
  const definition = parseInput(
    crmEndpointDefinition,
    { type, url, method, token, headers, auth, timeout_ms },
    'arguments',
  );
  return {
    target: prepareTarget({
      url: definition.url,
      method: definition.method,
      timeoutMs: definition.timeout_ms,
      credentials: { token: definition.token, headers: definition.headers, auth: definition.auth },
      signingSecret: await getRequestSigningSecret(deps, shopId),
    }),
    stored: null,
  };
}

function validationOf(exchange: CrmExchange<CrmEndpointType>) {
  const { result } = exchange;
  if (result.ok) return { valid: true, errors: [], warnings: result.warnings };
  if (result.validation !== undefined) return { valid: false, ...result.validation };
  const notChecked: CrmAnswerIssue = { path: '$', message: `not validated: ${result.error.message}` };
  return { valid: false, errors: [notChecked], warnings: [] };
}

function nextStep(exchange: CrmExchange<CrmEndpointType>, stored: Tested['stored']): string {
  const { result } = exchange;
  if (!result.ok) {
    return `Fix what error.message says (${result.error.code}) and call test_crm_endpoint again.`;
  }
  const warned =
    result.warnings.length === 0
      ? ''
      : ` ${result.warnings.length} value(s) were left out: each warning names its JSON path and what was expected.`;
  if (stored === null) {
    return `The endpoint answers as Parley expects.${warned} Save it with update_crm_endpoints (add_crm_endpoint with the same settings).`;
  }
  if (!stored.enabled) {
    return `The stored endpoint answers well again but is still disabled.${warned} The probe re-enables it within 30 minutes; run reset_crm_errors to re-enable it now.`;
  }
  return `The stored endpoint answers as Parley expects.${warned}`;
}

function excerptOf(exchange: CrmExchange<CrmEndpointType>): string | null {
  const body = exchange.response?.body;
  if (body === undefined) return null;
  const text = body.toString('utf8');
  return exchange.scrubber.text(text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text);
}

export async function testCrmEndpoint(deps: AppDeps, shopId: string, input: TestCrmEndpointInput) {
  const { type, test_phone, query } = parseInput(
    callInput,
    { type: input.type, test_phone: input.test_phone, query: input.query },
    'arguments',
  );
  const { target, stored } =
    input.url === undefined
      ? await storedTarget(deps, shopId, type, input)
      : await givenTarget(deps, shopId, input);
  const params = sampleCrmParams(type, { phone: test_phone, query, now: deps.clock.now() });

  const gated = await exchangeWithCrm<CrmEndpointType>(deps, shopId, target, type, params);
  // The test counts against the same per-shop limit as production calls (crm-gate.ts): nothing was sent.
  if (gated.status === 'busy') throw new AppError(gated.error.code, gated.error.message, 503);
  const exchange = gated.value;
  const { result, response, scrubber } = exchange;
  if (!result.ok && refusedBeforeSending.has(result.error.code)) {
    throw new AppError(result.error.code, result.error.message);
  }
  return {
    ok: result.ok,
    tested: stored === null ? 'the settings given' : `the stored ${type} endpoint`,
    http_status: result.httpStatus ?? null,
    latency_ms: result.latencyMs,
    request: exchange.request.show(),
    response_bytes: response?.body.length ?? null,
    response_excerpt: excerptOf(exchange),
    error: result.ok ? null : result.error,
    validation: validationOf(exchange),
    normalized: result.ok ? scrubber.json(result.answer) : null,
    next_step: nextStep(exchange, stored),
  };
}
