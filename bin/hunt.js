#!/usr/bin/env node
// `hunt` runs the TypeScript CLI in this process through tsx's loader, so it works right after
// `npm install` with no build step (and signals such as Ctrl-C reach the CLI itself).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
