import { createRequire } from 'node:module';
import type * as IpaddrModule from 'ipaddr.js';

// ipaddr.js is CommonJS typed as an ambient `export =` module, which TypeScript will not
// default-import without esModuleInterop; requiring it keeps both the types and the runtime right.
export const ipaddr = createRequire(import.meta.url)('ipaddr.js') as typeof IpaddrModule;

export type IpAddress = IpaddrModule.IPv4 | IpaddrModule.IPv6;
