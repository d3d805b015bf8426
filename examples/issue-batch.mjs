// Issue a batch with an Idempotency-Key, retrying safely, then wait until it is anchored.
// Run (Node 18+):  LEARNCOIN_API_KEY=lrn_test_... node examples/issue-batch.mjs [examples/batch.json]
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';

const base = process.env.LEARNCOIN_URL ?? 'http://localhost:8080';
const key = process.env.LEARNCOIN_API_KEY;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Retries 429 after Retry-After and 5xx/network errors with backoff; same request, same key.
async function send(path, init = {}) {
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(base + path, {
        ...init, headers: { ...init.headers, Authorization: `Bearer ${key}` },
      });
      if (response.status === 429 && attempt < 10) {
        await sleep(Number(response.headers.get('Retry-After') ?? 1) * 1000);
      } else if (response.status >= 500 && attempt < 6) {
        await sleep(Math.min(30000, 250 * 2 ** attempt) * (0.5 + Math.random() / 2));
      } else {
        return response;
      }
    } catch (error) {
      if (attempt >= 6) throw error;
      await sleep(250 * 2 ** attempt);
    }
  }
}

const body = await readFile(process.argv[2] ?? 'examples/batch.json', 'utf8');
// One key per logical request, kept across retries: the server runs it once.
const created = await send('/v1/batches', {
  method: 'POST', body,
  headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
});
const batch = await created.json();
console.log(created.status, JSON.stringify(batch));
if (created.status !== 202) process.exit(1); // a 4xx will not change on retry

for (;;) {
  const current = await (await send(`/v1/batches/${batch.id}`)).json();
  console.log(`${batch.id}: ${current.status}`);
  if (current.status === 'anchored' || current.status === 'failed') {
    console.log(JSON.stringify(current.anchor));
    break;
  }
  await sleep(1000);
}
