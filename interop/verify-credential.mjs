// Verifies a credential the gateway issued with Digital Bazaar's independent implementation
// (@digitalbazaar/vc + data-integrity + eddsa-rdfc-2022), fully offline: JSON-LD contexts come from
// the files the gateway bundles (src/main/resources/contexts), did:key is resolved locally, and the
// status list credential, when given, is served from the input file.
//
// usage: node interop/verify-credential.mjs <file.json>
//   file: {"credential": {...}, "statusListCredential": {...}}   (statusListCredential optional)
// prints one JSON line {"verified": bool, "revoked": bool|null, "errors": [...]} and exits 0 when
// the check could run (verified or not); exits 2 on usage errors.
import {readFile} from 'node:fs/promises';
import {fileURLToPath} from 'node:url';
import path from 'node:path';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {driver as didKeyDriver} from '@digitalbazaar/did-method-key';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';

const here = path.dirname(fileURLToPath(import.meta.url));
const contextsDir = path.join(here, '..', 'src', 'main', 'resources', 'contexts');

function usage(message) {
  process.stderr.write(`${message}\nusage: node interop/verify-credential.mjs <file.json>\n`);
  process.exit(2);
}

async function bundledContexts() {
  const index = JSON.parse(await readFile(path.join(contextsDir, 'index.json'), 'utf8'));
  const contexts = new Map();
  for(const [url, file] of Object.entries(index)) {
    contexts.set(url, JSON.parse(await readFile(path.join(contextsDir, file), 'utf8')));
  }
  return contexts;
}

function offlineLoader({contexts, statusListCredential}) {
  const didKey = didKeyDriver();
  didKey.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});
  return async url => {
    if(contexts.has(url)) {
      return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
    }
    if(url.startsWith('did:key:')) {
      return {contextUrl: null, documentUrl: url, document: await didKey.get({url})};
    }
    if(statusListCredential && url === statusListCredential.id) {
      return {contextUrl: null, documentUrl: url, document: statusListCredential};
    }
    throw new Error(`offline verifier: no document for ${url}`);
  };
}

// Errors nest (jsonld-signatures wraps proof failures, vc wraps status failures): flatten them.
function messages(error, out = []) {
  if(!error) {
    return out;
  }
  if(Array.isArray(error)) {
    error.forEach(e => messages(e, out));
    return out;
  }
  if(error.errors) {
    messages(error.errors, out);
  } else {
    out.push(error.message || String(error));
  }
  if(error.cause) {
    messages(error.cause, out);
  }
  return out;
}

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
if(!input || typeof input.credential !== 'object' || input.credential === null) {
  usage('the file must be a JSON object with a "credential" object');
}
const {credential, statusListCredential} = input;

const documentLoader = offlineLoader({contexts: await bundledContexts(), statusListCredential});
const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
let revoked = null;
const errors = [];
// Without a status list credential only the proof is checked; the status is unknown (null).
const statusCheck = statusListCredential ?
  async options => {
    const result = await checkStatus(options);
    if(result.verified) {
      revoked = result.results.some(r => r.status === true);
    } else {
      errors.push(...messages(result.error));
    }
    return result;
  } :
  async () => ({verified: true});

let verified = false;
try {
  const result = await vc.verifyCredential({
    credential, suite, documentLoader, checkStatus: statusCheck
  });
  verified = result.verified === true;
  if(!verified) {
    errors.push(...messages(result.error));
    for(const r of result.results || []) {
      errors.push(...messages(r.error));
    }
  }
} catch(e) {
  errors.push(...messages(e));
}
process.stdout.write(JSON.stringify({verified, revoked, errors: [...new Set(errors)]}) + '\n');
