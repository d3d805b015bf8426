// Benchmark harness (scripts/bench-small-batches.sh): posts BATCHES batches of one credential,
// round-robin over the tenants' keys, PARALLEL at a time, then polls until every batch is
// anchored. Prints {"seconds", "post_seconds", "batches", "transactions", "first_block", "last_block"}: seconds
// from the first POST to the last batch anchored, and the distinct anchoring transactions.
//
// usage: node interop/small-batches.mjs <base-url> <keys-file> <batches> <parallel> <rpc-url>
import {readFile} from 'node:fs/promises';
import {randomUUID} from 'node:crypto';

const [base, keysFile, batchesArg, parallelArg, rpc] = process.argv.slice(2);
const keys = (await readFile(keysFile, 'utf8')).trim().split('\n').map(l => l.split('\t')[0]);
const total = Number.parseInt(batchesArg, 10);
const parallel = Number.parseInt(parallelArg, 10);

async function blockNumber() {
  const res = await fetch(rpc, {method: 'POST', headers: {'content-type': 'application/json'},
    body: JSON.stringify({jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: []})});
  return Number.parseInt((await res.json()).result, 16);
}
const body = () => JSON.stringify({credentials: [{
  recipient: {id: 'urn:uuid:' + randomUUID(), name: 'Learner'},
  issuanceDate: '2026-11-27T10:00:00Z',
  achievement: {id: 'https://example.edu/achievements/course-1', name: 'Course 1',
    description: 'Finished the course.', criteria: {narrative: 'Completed every module.'}}}]});

const firstBlock = await blockNumber();
const started = process.hrtime.bigint();
const posted = [];
let next = 0;
async function poster() {
  while(next < total) {
    const i = next++;
    const key = keys[i % keys.length];
    const res = await fetch(`${base}/v1/batches`, {method: 'POST', body: body(), headers: {
      authorization: `Bearer ${key}`, 'content-type': 'application/json',
      'idempotency-key': randomUUID()}});
    if(res.status !== 202) {
      throw new Error(`POST ${i}: ${res.status} ${await res.text()}`);
    }
    posted.push({id: (await res.json()).id, key});
  }
}
await Promise.all(Array.from({length: parallel}, poster));
const postSeconds = Number(process.hrtime.bigint() - started) / 1e9;
const pending = new Map(posted.map(p => [p.id, p.key]));
const transactions = new Set();
let lastBlock = firstBlock;
while(pending.size > 0) {
  for(const [id, key] of [...pending]) {
    const res = await fetch(`${base}/v1/batches/${id}`, {headers: {authorization: `Bearer ${key}`}});
    const batch = await res.json();
    if(batch.status === 'anchored') {
      pending.delete(id);
      transactions.add(batch.anchor.tx_hash);
      lastBlock = Math.max(lastBlock, batch.anchor.block_number);
    } else if(batch.status === 'failed') {
      throw new Error(`batch ${id} failed: ${JSON.stringify(batch.last_error)}`);
    }
  }
  if(pending.size > 0) {
    await new Promise(r => setTimeout(r, 200));
  }
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
console.log(JSON.stringify({seconds, post_seconds: postSeconds, batches: total, transactions: transactions.size,
  first_block: firstBlock, last_block: lastBlock}));
