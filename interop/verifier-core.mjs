// Verifies a credential the gateway issued with the Digital Credentials Consortium's
// @digitalcredentials/verifier-core, the verifier inside the Learner Credential Wallet and
// VerifierPlus (DccVerifierTest runs it). verifier-core takes no document loader and fetches with
// the global fetch, so fetch is replaced by a guard: the gateway's own URLs (its status lists, on
// loopback) and the 1EdTech OB 3.0 schema (served from src/test/resources/ob3) and the JSON-LD
// contexts the gateway bundles are answered; every other URL is refused and listed.
//
// usage: node interop/verifier-core.mjs <file.json> <gateway-base-url>
//   file: {"credential": {...}}
// prints one JSON line {"log": [...], "errors": [...], "schema": [...], "refused": [urls]}.
import {readFile} from 'node:fs/promises';
import {fileURLToPath} from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const [file, gateway] = process.argv.slice(2);
if(!file || !gateway || !/^http:\/\/(127\.0\.0\.1|\[::1\]|localhost)(:\d+)?$/.test(gateway)) {
  process.stderr.write('usage: node interop/verifier-core.mjs <file.json> <http://127.0.0.1:port>\n');
  process.exit(2);
}
const contextsDir = path.join(here, '..', 'src', 'main', 'resources', 'contexts');
const index = JSON.parse(await readFile(path.join(contextsDir, 'index.json'), 'utf8'));
const schema = await readFile(path.join(here, '..', 'src', 'test', 'resources', 'ob3',
  'ob_v3p0_achievementcredential_schema.json'), 'utf8');
const SCHEMA_URL = 'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json';

const realFetch = globalThis.fetch;
const refused = [];
const served = [];
globalThis.fetch = async (input, init) => {
  const url = typeof input === 'string' ? input : input.url;
  if(url.startsWith(gateway + '/')) {
    served.push(url);
    return realFetch(input, init);
  }
  if(url === SCHEMA_URL) {
    served.push(url);
    return new Response(schema, {status: 200, headers: {'content-type': 'application/json'}});
  }
  if(index[url]) {
    served.push(url);
    return new Response(await readFile(path.join(contextsDir, index[url]), 'utf8'),
      {status: 200, headers: {'content-type': 'application/ld+json'}});
  }
  refused.push(url);
  throw new TypeError(`fetch refused (offline test): ${url}`);
};

const {verifyCredential} = await import('@digitalcredentials/verifier-core');
const {credential} = JSON.parse(await readFile(file, 'utf8'));
const result = await verifyCredential({credential, knownDIDRegistries: []});
const schemaInfo = (result.additionalInformation || []).find(i => i.id === 'schema_check');
console.log(JSON.stringify({
  log: (result.log || []).map(({id, valid, error}) => ({id, valid, error: error?.message ?? error?.name})),
  errors: (result.errors || []).map(e => ({name: e.name, message: e.message,
    cause: e.stackTrace ? String(e.stackTrace?.stack ?? e.stackTrace).slice(0, 1500) : undefined})),
  schema: !schemaInfo ? null : Array.isArray(schemaInfo.results) ? schemaInfo.results.map(r => ({
    schema: r.schema, valid: r.result?.valid, errors: r.result?.errors})) : schemaInfo.results,
  refused, served,
}));
