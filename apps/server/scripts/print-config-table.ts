// Prints the README configuration table from the config schema: `npm run docs:config -w apps/server`.
import { renderConfigTable } from '../src/config.ts';

process.stdout.write(`${renderConfigTable()}\n`);
