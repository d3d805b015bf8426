// Verifies credentials the gateway issued with the Digital Credentials Consortium's
// @digitalcredentials/verifier-core, the verifier inside the Learner Credential Wallet and
// VerifierPlus, offline. verifier-core takes no document loader: it fetches status lists, did:web
// documents, JSON Schemas and trust registries with the global `fetch`. So this script replaces
// globalThis.fetch, before verifier-core is loaded, with a guard that answers only:
//   - the gateway's status lists (<publicBaseUrl>/status/...), fetched from its loopback address;
//   - the 1EdTech OB 3.0 AchievementCredential schema, from src/test/resources/ob3;
//   - the did:web documents given in the input file;
// and refuses every other URL (a 404 made up locally, so verifier-core reports "could not
// retrieve" rather than a network error; nothing leaves the machine). Every URL tried is listed.
//
// usage: node interop/verify-wallet.mjs <file.json>
//   file: {"credentials": {"<name>": {...}, ...},
//          "gateway": {"publicBaseUrl": "http://localhost:8080", "loopbackUrl": "http://127.0.0.1:8080"},
//          "didDocuments": {"https://localhost:8443/.well-known/did.json": {...}},   (optional)
//          "registries": [...]}                      (optional: verifier-core's knownDIDRegistries)
// prints one JSON line {"results": {"<name>": {...}}, "fetches": [{"url", "served"}]} and exits 0
// when the checks could run (whatever their outcome); exits 2 on usage errors.
import {readFile} from 'node:fs/promises';
import {fileURLToPath} from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const SCHEMA_URL = 'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json';
const SCHEMA_FILE = path.join(here, '..', 'src', 'test', 'resources', 'ob3',
  'ob_v3p0_achievementcredential_schema.json');
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]']);

function usage(message) {
  process.stderr.write(`${message}\nusage: node interop/verify-wallet.mjs <file.json>\n`);
  process.exit(2);
}

// verifier-core's registry client logs to stdout; stdout is reserved for the result line.
console.log = console.error;

const file = process.argv[2];
if(!file || process.argv.length > 3) {
  usage('expected exactly one argument');
}
let input;
try {
  input = JSON.parse(await readFile(file, 'utf8'));
} catch(e) {
  usage(`cannot read ${file}: ${e.message}`);
}
const {credentials, gateway, didDocuments = {}, registries = []} = input ?? {};
if(typeof credentials !== 'object' || credentials === null ||
  typeof gateway?.publicBaseUrl !== 'string' || typeof gateway?.loopbackUrl !== 'string') {
  usage('the file needs a "credentials" object and "gateway" {publicBaseUrl, loopbackUrl}');
}
const loopback = new URL(gateway.loopbackUrl);
if(loopback.protocol !== 'http:' || !LOOPBACK_HOSTS.has(loopback.hostname)) {
  usage(`gateway.loopbackUrl must be http on 127.0.0.1 or [::1], not ${gateway.loopbackUrl}`);
}

const statusPrefix = gateway.publicBaseUrl.replace(/\/$/, '') + '/status/';
const schemaText = await readFile(SCHEMA_FILE, 'utf8');
const realFetch = globalThis.fetch;
const fetches = [];

function json(text) {
  return new Response(text, {status: 200, headers: {'Content-Type': 'application/json'}});
}

globalThis.fetch = async (resource, init) => {
  const request = new Request(resource, init);
  const url = request.url;
  const served = what => {
    fetches.push({url, served: what});
  };
  if(request.method === 'GET' && url === SCHEMA_URL) {
    served('file');
    return json(schemaText);
  }
  if(request.method === 'GET' && Object.hasOwn(didDocuments, url)) {
    served('didDocument');
    return json(JSON.stringify(didDocuments[url]));
  }
  if(request.method === 'GET' && url.startsWith(statusPrefix)) {
    served('gateway');
    // Same path, on the gateway's loopback address (the public name may not even resolve here).
    const target = new URL(url.slice(statusPrefix.length - '/status/'.length), loopback.origin);
    return realFetch(target, {headers: {Accept: 'application/json'}, redirect: 'error'});
  }
  served('refused');
  return new Response('refused by the offline interop check', {status: 404});
};

// Loaded only now: nothing in it may capture the real fetch.
const {verifyCredential} = await import('@digitalcredentials/verifier-core');

const label = e => `${e.name}: ${e.message}`;

// verifier-core's answer, flattened to what a wallet shows: fatal errors (no log), then per step.
function summary(result) {
  const errors = (result.errors ?? []).map(label);
  const log = result.log ?? [];
  const step = id => log.find(entry => entry.id === id);
  const revocation = step('revocation_status');
  const registry = step('registered_issuer');
  const schema = (result.additionalInformation ?? []).find(entry => entry.id === 'schema_check');
  return {
    verified: errors.length === 0 && step('valid_signature')?.valid === true,
    errors,
    expired: step('expiration') ? step('expiration').valid === false : null,
    revoked: revocation && 'valid' in revocation ? revocation.valid === false : null,
    revocationError: revocation?.error ? label(revocation.error) : null,
    registeredIssuer: registry ? {
      valid: registry.valid,
      unchecked: (registry.uncheckedRegistries ?? []).map(r => r.url ?? r.trustAnchorEC)
    } : null,
    schema: Array.isArray(schema?.results) ?
      schema.results.map(r => ({
        schema: r.schema,
        valid: r.result?.valid === true,
        errors: (r.result?.errors ?? []).map(e => `${e.instancePath || '/'} ${e.message}`)
      })) :
      schema?.results ?? null
  };
}

const results = {};
// One at a time: the fetch list stays in order, and the machine is small.
for(const [name, credential] of Object.entries(credentials)) {
  const result = await verifyCredential({credential, knownDIDRegistries: registries});
  results[name] = summary(result);
}
process.stdout.write(JSON.stringify({results, fetches}) + '\n');
