// The load bench preloads this (`node --require`) into the server processes it starts when asked for
// `--statements`: it counts the SQL statements each process sends through `pg` (every Kysely query and
// raw statement passes Client.prototype.query), grouped by their first words, and writes the counts to
// `$CLEARWAY_STATEMENT_COUNTS/<pid>.json` when the process exits (the bench stops them with SIGTERM).
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const pg = require('pg');

const counts = new Map();
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (config, ...rest) {
  const text = typeof config === 'string' ? config : config && config.text;
  if (typeof text === 'string') {
    const key = text.replace(/\s+/g, ' ').trim().slice(0, 120);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return query.call(this, config, ...rest);
};

process.on('exit', () => {
  writeFileSync(
    join(process.env.CLEARWAY_STATEMENT_COUNTS, `${process.pid}.json`),
    JSON.stringify(Object.fromEntries(counts)),
  );
});
