// Benchmark harness (scripts/bench-vc-issue.sh): CALLS calls of POST /credentials/issue (W3C VC
// API), one credential each, CLIENTS at a time, round-robin over the tenants' keys. Prints
// {"seconds", "calls", "per_second", "p50_ms", "p99_ms"}: every call must answer 201 with a signed
// credential (a proof set of one).
//
// usage: node interop/vc-issue-load.mjs <base-url> <keys-file> <calls> <clients>
import {readFile} from 'node:fs/promises';
import {randomUUID} from 'node:crypto';

const [base, keysFile, callsArg, clientsArg] = process.argv.slice(2);
const keys = (await readFile(keysFile, 'utf8')).trim().split('\n').map(l => l.split('\t')[0]);
const calls = Number.parseInt(callsArg, 10);
const clients = Number.parseInt(clientsArg, 10);
const credential = () => ({
  '@context': ['https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/ns/credentials/examples/v2'],
  id: 'urn:uuid:' + randomUUID(),
  type: ['VerifiableCredential', 'AlumniCredential'],
  validFrom: '2026-01-01T00:00:00Z',
  credentialSubject: {id: 'urn:uuid:' + randomUUID(), alumniOf: 'The School of Examples'}});

const latencies = [];
let next = 0;
const started = process.hrtime.bigint();
async function client() {
  while(next < calls) {
    const i = next++;
    const t0 = process.hrtime.bigint();
    const res = await fetch(`${base}/credentials/issue`, {method: 'POST',
      body: JSON.stringify({credential: credential(),
        options: {credentialStatus: {type: 'BitstringStatusListEntry'}}}),
      headers: {authorization: `Bearer ${keys[i % keys.length]}`,
        'content-type': 'application/json', 'idempotency-key': randomUUID()}});
    const body = await res.json();
    if(res.status !== 201 || !Array.isArray(body.verifiableCredential?.proof)) {
      throw new Error(`call ${i}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
    }
    latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
}
await Promise.all(Array.from({length: clients}, client));
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
latencies.sort((a, b) => a - b);
const at = q => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))]);
console.log(JSON.stringify({seconds, calls, per_second: calls / seconds, p50_ms: at(0.5),
  p99_ms: at(0.99)}));
