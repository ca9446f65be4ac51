import { AppError } from '../../lib/errors.ts';
import { parsePhoneNumber } from '../../lib/phone-number.ts';

/**
 * The chat's phone as E.164, read with the shop's country like every phone the API takes
 * (docs/side-panel.md#phones).
 */
export async function readChatPhone(input: string, country: string): Promise<string> {
  const parsed = await parsePhoneNumber(input, country);
  if (parsed.ok) return parsed.e164;
  throw new AppError(
    'INVALID_PHONE',
    `phone: ${JSON.stringify(input)} is not a usable phone number (${parsed.problem}). Send it in E.164, ` +
      `such as +34612345678, or as a national number of the shop's country (${country}).`,
    400,
  );
}
