#!/usr/bin/env node
// The bench is TypeScript run through tsx, like the CLI: `npm run bench` needs no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../bench/main.ts');
process.exitCode = await main(process.argv.slice(2));
