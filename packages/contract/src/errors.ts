/** The error body every HTTP endpoint answers with: a stable code and a message that says what to fix. */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}
