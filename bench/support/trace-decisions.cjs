// The load bench preloads this (`node --require`) into the server processes it starts when asked for
// `--trace`: it stamps, on this machine's clock, when each parcel's intake transaction committed (api
// processes: the `commit` after the statement that published the parcel's `intake.stored` event, or that
// statement itself when it stored a CN23 item alone, outside a transaction, answering its parcel id) and
// when the outbox claim that handed the parcel to `targeting.decide` was sent and answered (workers),
// and writes them to `$CLEARWAY_TRACE_DIR/<pid>.json` when the process exits. The bench joins them with
// the parcel's receipt and decision times to show where receipt-to-decision time goes.
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const pg = require('pg');

const clock = () => performance.timeOrigin + performance.now();
/** [parcel id, commit answered] */
const commits = [];
/** [parcel id, claim sent, claim answered] */
const claims = [];
const published = new WeakMap();
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (config, values, callback) {
  const text = typeof config === 'string' ? config : config && config.text;
  if (typeof text !== 'string' || typeof callback === 'function') return query.apply(this, arguments);
  const params = (config && config.values) || (Array.isArray(values) ? values : []);
  const sent = clock();
  const event = params.find((value) => typeof value === 'string' && value.startsWith('{"kind":"parcels"'));
  if (event) published.set(this, JSON.parse(event).ids);
  const claim = text.includes('platform_outbox') && text.includes('skip locked');
  // A claim answers each row's subscriber; one for a single subscriber (main before 6 December 2026)
  // names it as a parameter.
  const single = params.includes('targeting.decide') ? 'targeting.decide' : undefined;
  const ids = text === 'commit' ? published.get(this) : undefined;
  if (ids) published.delete(this);
  const alone = text.includes('insert into intake_message') && text.includes('as parcel_id');
  const result = query.apply(this, arguments);
  if ((claim || ids || alone) && result && typeof result.then === 'function')
    result.then(
      (answer) => {
        const answered = clock();
        if (ids) for (const id of ids) commits.push([id, answered]);
        if (alone) for (const row of answer.rows) commits.push([Number(row.parcel_id), answered]);
        if (claim)
          for (const row of answer.rows)
            if ((row.subscriber ?? single) === 'targeting.decide')
              for (const id of (row.payload && row.payload.ids) || []) claims.push([id, sent, answered]);
      },
      () => undefined,
    );
  return result;
};

process.on('exit', () => {
  writeFileSync(
    join(process.env.CLEARWAY_TRACE_DIR, `${process.pid}.json`),
    JSON.stringify({ commits, claims }),
  );
});
