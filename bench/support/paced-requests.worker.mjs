// A worker thread does not inherit the loader hooks of the thread that starts it: the TypeScript sources
// are loaded through tsx here, as bin/clearway.js loads them for the process.
import { register } from 'tsx/esm/api';

register();
await import('./paced-requests.worker.ts');
