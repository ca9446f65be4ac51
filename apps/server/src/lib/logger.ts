import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * JSON logs. Authorization headers and anything named like a secret are redacted wherever they
 * appear, so a careless `log.info({ endpoint })` cannot leak a credential.
 */
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  '*.token',
  '*.secret',
  '*.password',
  '*.apiKey',
  '*.api_key',
  '*.webhook_secret',
  '*.PARLEY_ADMIN_TOKEN',
  '*.PARLEY_SECRET_KEY',
  '*.PARLEY_LLM_API_KEY',
  '*.DATABASE_URL',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'parley' },
      redact: { paths: redactedPaths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
