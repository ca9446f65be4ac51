/**
 * The chat's own number must be a real phone: the contract checks the E.164 shape, this checks it
 * against libphonenumber's metadata, so a group id or a typo is refused instead of being stored and
 * reported as a detected phone.
 */
import { badRequest } from '../../lib/errors.ts';
import { loadPhoneLibrary } from '../../lib/phone-number.ts';

const lengthProblems: Record<string, string> = {
  INVALID_COUNTRY: 'no country uses its calling code',
  TOO_SHORT: 'it is too short for its country',
  TOO_LONG: 'it is too long for its country',
  INVALID_LENGTH: 'its length is not used in its country',
};

/** The E.164 form of a valid `chat_phone`; a 400 naming the field otherwise. */
export async function checkChatPhone(chatPhone: string): Promise<string> {
  const { parsePhoneNumberFromString, validatePhoneNumberLength } = await loadPhoneLibrary();
  const parsed = parsePhoneNumberFromString(chatPhone);
  if (parsed?.isValid() === true) return parsed.number;
  const problem =
    lengthProblems[validatePhoneNumberLength(chatPhone) ?? ''] ?? 'no number is assigned in that range';
  throw badRequest(
    `Invalid request body: chat_phone: ${chatPhone} is not a valid phone number (${problem}); ` +
      "send the chat's own number in E.164, such as +34612345678.",
  );
}
