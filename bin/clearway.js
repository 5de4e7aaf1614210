#!/usr/bin/env node
// The `clearway` command. TypeScript sources run through tsx's loader so that the CLI, the server and the
// tests always execute the same code, with no stale build in between.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
