/**
 * The environment, parsed and validated once at start. This is the only file that reads
 * process.env: everything else receives a typed `Config`. A bad value stops the start with
 * a message naming the variable.
 */
import { z } from 'zod';
import { parseAllowList } from './lib/outbound/index.ts';

interface VariableSpec<T extends z.ZodType> {
  schema: T;
  /** Shown in the README configuration table. */
  description: string;
  /** The default as a user would read it in the README (the schema holds the real one). */
  shownDefault: string;
  /** Sensitive values are redacted in logs and never echoed in error messages. */
  sensitive?: boolean;
}

const variable = <T extends z.ZodType>(spec: VariableSpec<T>) => spec;

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/**
 * An http(s) URL with its scheme written out. `new URL('localhost:11434')` parses (as the scheme
 * "localhost:"), so a plain URL check would let the most common typo through to the first request.
 */
const httpUrl = (example: string) =>
  z.string().refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
    } catch {
      return false;
    }
  }, `must be a URL starting with http:// or https://, such as ${example}`);

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const configVariables = {
  PORT: variable({ schema: port.default(8787), description: 'TCP port to listen on.', shownDefault: '8787' }),
  HOST: variable({
    schema: z
      .string()
      .min(1)
      .regex(
        /^[^/\s]+$/,
        'must be an address or host name to listen on, such as 127.0.0.1 or 0.0.0.0 (no scheme, no path)',
      )
      .default('127.0.0.1'),
    description: 'Address to listen on (`0.0.0.0` to accept connections from other machines).',
    shownDefault: '127.0.0.1',
  }),
  PARLEY_DATA_DIR: variable({
    schema: z.string().min(1).default('./data'),
    description:
      'Embedded database and generated key files. One process owns it at a time (lock file `parley.lock`).',
    shownDefault: './data',
  }),
  PARLEY_PGLITE_SHARED_BUFFERS_MB: variable({
    schema: positiveInt.min(8).max(1024).default(128),
    description:
      "Embedded database only: PostgreSQL's shared buffers in MB. PGlite holds them in the process's memory from the start: 16 takes about 120 MB off an idle process's RSS, at the cost of more reads from the data dir (docs/operations.md#memory).",
    shownDefault: '128',
  }),
  DATABASE_URL: variable({
    schema: optionalString.pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
        .optional(),
    ),
    description: 'Use this PostgreSQL instead of the embedded one (`postgres://user@host:5432/db`).',
    shownDefault: 'unset (embedded PGlite)',
    sensitive: true,
  }),
  PARLEY_ADMIN_TOKEN: variable({
    schema: optionalString.pipe(z.string().min(24, 'must be at least 24 characters').optional()),
    description:
      'Bearer token for `/api/admin/*`. When unset, one is generated on first start and printed once.',
    shownDefault: 'generated on first start',
    sensitive: true,
  }),
  PARLEY_SECRET_KEY: variable({
    schema: optionalString.pipe(
      z
        .string()
        .regex(
          /^[A-Za-z0-9+/]{43}=$|^[0-9a-fA-F]{64}$/,
          'must be 32 bytes as base64 (44 chars) or hex (64 chars)',
        )
        .optional(),
    ),
    description:
      'Key (32 bytes, base64 or hex) that encrypts stored secrets with AES-256-GCM. When unset, one is generated into `<data dir>/secret.key` (mode 0600).',
    shownDefault: 'generated into the data dir',
    sensitive: true,
  }),
  PARLEY_ALLOW_PRIVATE_TARGETS: variable({
    schema: z
      .string()
      .default('')
      .transform((value, ctx) => {
        try {
          return parseAllowList(value);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message });
          return z.NEVER;
        }
      }),
    description:
      'Comma list of `ip`, `ip:port`, CIDR or `host:port` that outbound calls (webhooks, CRM endpoints, custom functions) may reach although not public; such targets may also use plain http.',
    shownDefault: 'empty',
  }),
  PARLEY_METRICS_TOKEN: variable({
    schema: optionalString.pipe(z.string().min(24, 'must be at least 24 characters').optional()),
    description:
      'Bearer token that may read `GET /metrics` and nothing else (for a Prometheus scraper). The admin token may read it too; without either, `/metrics` answers 401.',
    shownDefault: 'unset (admin token only)',
    sensitive: true,
  }),
  PARLEY_MCP_RATE_LIMIT: variable({
    schema: positiveInt.default(120),
    description: 'MCP requests allowed per token per minute.',
    shownDefault: '120',
  }),
  PARLEY_BODY_LIMIT_BYTES: variable({
    schema: positiveInt.default(1_048_576),
    description: 'Largest request body accepted, in bytes; larger bodies get 413.',
    shownDefault: '1048576',
  }),
  PARLEY_LOOKUP_AUDIT_RETENTION_DAYS: variable({
    schema: positiveInt.max(36_500).default(90),
    description:
      'Days the lookup audit (`GET /api/panel/audit`) keeps a lookup; older ones are deleted hourly, the first time an hour after start.',
    shownDefault: '90',
  }),
  PARLEY_LOG_LEVEL: variable({
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    description: 'Log level of the JSON logs on stdout.',
    shownDefault: 'info',
  }),
  PARLEY_PUBLIC_URL: variable({
    schema: optionalString.pipe(httpUrl('https://parley.example.com').optional()),
    description:
      'The URL clients use to reach this server: in the printed MCP snippet, and its host is accepted in `Host`/`Origin` by `/api/mcp` (docs/mcp.md).',
    shownDefault: '`http://HOST:PORT`',
  }),
  PARLEY_DISABLE_DEMO: variable({
    schema: booleanFlag,
    description:
      'Set to `true` to run without the demo: no demo shop on first start, and no demo CRM nor its loopback allowance.',
    shownDefault: 'false',
  }),
  PARLEY_DEMO_CRM_PORT: variable({
    schema: port.default(8788),
    description:
      'Port of the demo CRM (fake data) that Parley runs on 127.0.0.1 for the demo shop; `0` picks a free one. While the demo is on, outbound calls may reach exactly `127.0.0.1:<this port>`.',
    shownDefault: '8788',
  }),
  PARLEY_LLM_BASE_URL: variable({
    schema: optionalString.pipe(httpUrl('http://localhost:11434/v1').optional()),
    description: 'Base URL of an OpenAI-compatible Chat Completions API, for the AI assistant.',
    shownDefault: 'unset',
  }),
  PARLEY_LLM_API_KEY: variable({
    schema: optionalString,
    description: 'API key for `PARLEY_LLM_BASE_URL`.',
    shownDefault: 'unset',
    sensitive: true,
  }),
  PARLEY_LLM_MODEL: variable({
    schema: optionalString,
    description: 'Model name sent to `PARLEY_LLM_BASE_URL`.',
    shownDefault: 'unset',
  }),
  PARLEY_DATABASE_QUERY_TIMEOUT_MS: variable({
    schema: positiveInt.default(15_000),
    description:
      'PostgreSQL only: a statement unanswered for this long closes its connection (a database that stopped answering); the request gets 503 `DATABASE_UNAVAILABLE`. docs/operations.md.',
    shownDefault: '15000',
  }),
  PARLEY_HEARTBEAT_INTERVAL_MS: variable({
    schema: positiveInt.min(100).default(5_000),
    description:
      'PostgreSQL only: how often each process writes its heartbeat row (and releases the work of processes that stopped). docs/operations.md.',
    shownDefault: '5000',
  }),
  PARLEY_HEARTBEAT_STALE_MS: variable({
    schema: positiveInt.min(300).default(15_000),
    description:
      'PostgreSQL only: a process whose heartbeat is this old is taken for dead and its webhook deliveries and Smart Follow-up runs are released; keep it at least three heartbeat intervals.',
    shownDefault: '15000',
  }),
} as const;

type Variables = typeof configVariables;
export type Config = { [K in keyof Variables]: z.output<Variables[K]['schema']> };

export const sensitiveVariables = Object.entries(configVariables)
  .filter(([, spec]) => 'sensitive' in spec && spec.sensitive)
  .map(([name]) => name);

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses an environment (process.env by default); throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const problems: string[] = [];
  const config: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(configVariables)) {
    const result = spec.schema.safeParse(env[name]);
    if (result.success) {
      config[name] = result.data;
    } else {
      const reason = result.error.issues.map((issue) => issue.message).join('; ');
      const sensitive = 'sensitive' in spec && spec.sensitive;
      const shown = sensitive ? '' : ` (got ${JSON.stringify(env[name])})`;
      problems.push(`${name}: ${reason}${shown}`);
    }
  }
  if (problems.length > 0) {
    // One problem fits on one line; several get a line each.
    const listed = problems.length === 1 ? ` ${problems[0]}` : `\n  ${problems.join('\n  ')}`;
    throw new ConfigError(`Invalid configuration:${listed}`);
  }
  return config as Config;
}

/** The README's configuration table, rendered from the schema (a test keeps the README in step). */
export function renderConfigTable(): string {
  const rows = Object.entries(configVariables).map(
    ([name, spec]) =>
      `| \`${name}\` | ${spec.shownDefault} | ${spec.description}${'sensitive' in spec && spec.sensitive ? ' Secret: redacted in logs.' : ''} |`,
  );
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n');
}
