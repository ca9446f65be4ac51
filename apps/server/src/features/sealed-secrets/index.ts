export { resealSecrets, SEALED_FORMAT_KEY, type ResealReport } from './reseal.ts';
