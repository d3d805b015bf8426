// Benchmark harness (scripts/bench-issuance.sh): posts the given batch files to a gateway, a few
// at a time, then polls until every batch is anchored, in one process, so the harness itself
// costs the measured machine little. Prints {"seconds": s} measured from the first POST.
//
// usage: node interop/post-and-wait.mjs <base-url> <api-key> <parallel> <batch.json>...
import {readFile} from 'node:fs/promises';

const [base, key, parallelArg, ...files] = process.argv.slice(2);
const parallel = Number.parseInt(parallelArg, 10);
const headers = {authorization: `Bearer ${key}`, 'content-type': 'application/json'};
const bodies = await Promise.all(files.map(f => readFile(f)));

const started = process.hrtime.bigint();
const ids = [];
let next = 0;
async function poster() {
  while(next < bodies.length) {
    const i = next++;
    const res = await fetch(`${base}/v1/batches`, {method: 'POST', headers: {...headers,
      'idempotency-key': `bench-${files[i]}`}, body: bodies[i]});
    if(res.status !== 202) {
      throw new Error(`POST ${files[i]}: ${res.status} ${await res.text()}`);
    }
    ids.push((await res.json()).id);
  }
}
await Promise.all(Array.from({length: parallel}, poster));
const pending = new Set(ids);
while(pending.size > 0) {
  for(const id of [...pending]) {
    const res = await fetch(`${base}/v1/batches/${id}`, {headers});
    const batch = await res.json();
    if(batch.status === 'anchored') {
      pending.delete(id);
    } else if(batch.status === 'failed') {
      throw new Error(`batch ${id} failed: ${JSON.stringify(batch.last_error)}`);
    }
  }
  if(pending.size > 0) {
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
console.log(JSON.stringify({seconds}));
