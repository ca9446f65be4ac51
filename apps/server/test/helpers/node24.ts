/**
 * A Node 24 binary from the registry (tools/node24), to run the server's bundle on Node 24 the way
 * `npm start` runs it on the machine's Node (test/built-server.test.ts).
 */
import { toolsPackage } from './tools-package.ts';

const tools = toolsPackage('node24', ['node'], 'Node 24');

export const node24 = tools.bin('node');
export const ensureNode24 = tools.ensure;
