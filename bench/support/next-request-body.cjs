// autocannon loads this in its worker thread by path (functions cannot be passed into a worker): each
// request gets the next body of the JSON array in the file named by CLEARWAY_BENCH_BODIES.
const { readFileSync } = require('node:fs');

const bodies = JSON.parse(readFileSync(process.env.CLEARWAY_BENCH_BODIES, 'utf8'));
let next = 0;

module.exports = (request) => ({ ...request, body: bodies[next++ % bodies.length] });
