/** Why a verification failed. Stable: receivers may branch on these and log them. */
export type VerifyFailureCode =
  | 'INVALID_SECRET'
  | 'MISSING_HEADER'
  | 'INVALID_TIMESTAMP'
  | 'TIMESTAMP_TOO_OLD'
  | 'TIMESTAMP_IN_FUTURE'
  | 'NO_MATCHING_SIGNATURE';

export interface VerifyFailure {
  ok: false;
  code: VerifyFailureCode;
  /** For logs; never contains the secret or an expected signature. */
  message: string;
}

export function fail(code: VerifyFailureCode, message: string): VerifyFailure {
  return { ok: false, code, message };
}
