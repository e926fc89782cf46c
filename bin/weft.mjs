#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so `npx weft` needs no build step inside the repo.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../interpreter/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
