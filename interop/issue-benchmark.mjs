// The yardstick for the gateway's signing speed: Digital Bazaar's vc.issue with eddsa-rdfc-2022 and
// an Ed25519 Multikey, issuing N copies (distinct ids) of a typical Open Badges 3.0 credential one
// after another, offline, with the same bundled contexts the gateway uses.
//
// usage: node interop/issue-benchmark.mjs [N=200]
// prints one JSON line {"node_credentials_per_second": x, "node_credentials_per_cpu_second": y,
// "count": N, "seconds": s}; the per-CPU-second figure (user + system time of this process) is the
// steadier one on a shared, busy machine.
import {readFile} from 'node:fs/promises';
import {randomUUID} from 'node:crypto';
import {fileURLToPath} from 'node:url';
import path from 'node:path';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';

const here = path.dirname(fileURLToPath(import.meta.url));
const contextsDir = path.join(here, '..', 'src', 'main', 'resources', 'contexts');
const WARM_UP = 20;

const count = Number.parseInt(process.argv[2] ?? '200', 10);
if(!Number.isInteger(count) || count < 1) {
  process.stderr.write('usage: node interop/issue-benchmark.mjs [N=200]\n');
  process.exit(2);
}

const index = JSON.parse(await readFile(path.join(contextsDir, 'index.json'), 'utf8'));
const contexts = new Map();
for(const [url, file] of Object.entries(index)) {
  contexts.set(url, JSON.parse(await readFile(path.join(contextsDir, file), 'utf8')));
}
const documentLoader = async url => {
  if(contexts.has(url)) {
    return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
  }
  throw new Error(`offline benchmark: no document for ${url}`);
};

const keyPair = await Ed25519Multikey.generate();
const did = `did:key:${keyPair.publicKeyMultibase}`;
keyPair.controller = did;
keyPair.id = `${did}#${keyPair.publicKeyMultibase}`;
const suite = new DataIntegrityProof({signer: keyPair.signer(), cryptosuite: eddsaRdfc2022});

function credential(i) {
  return {
    '@context': [
      'https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'
    ],
    id: `urn:uuid:${randomUUID()}`,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: {id: did, type: ['Profile'], name: 'Example University'},
    validFrom: '2025-11-27T10:00:00Z',
    validUntil: '2030-01-01T00:00:00Z',
    name: 'Welding Level 1',
    credentialSubject: {
      id: `urn:uuid:${randomUUID()}`,
      type: ['AchievementSubject'],
      achievement: {
        id: 'https://example.edu/achievements/welding-1',
        type: ['Achievement'],
        name: 'Welding Level 1',
        description: 'Joins steel plates with MIG welding to the level 1 standard.',
        criteria: {narrative: 'Passed the practical exam and the safety test.'},
        alignment: [{
          type: ['Alignment'],
          targetName: 'weld metal parts',
          targetUrl: 'https://esco.ec.europa.eu/en/skill/welding',
          targetFramework: 'ESCO',
          targetCode: 'S6.2.1'
        }]
      }
    },
    credentialStatus: {
      id: `https://issuer.example/status/sl_1#${i}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(i),
      statusListCredential: 'https://issuer.example/status/sl_1'
    }
  };
}

// Let V8 optimise and jsonld.js fill its context cache before timing, as a running server would.
for(let i = 0; i < WARM_UP; i++) {
  await vc.issue({credential: credential(i), suite, documentLoader});
}
const start = process.hrtime.bigint();
const cpuStart = process.cpuUsage();
for(let i = 0; i < count; i++) {
  await vc.issue({credential: credential(i), suite, documentLoader});
}
const cpu = process.cpuUsage(cpuStart);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const rate = x => Math.round(x * 10) / 10;
process.stdout.write(JSON.stringify({
  node_credentials_per_second: rate(count / seconds),
  node_credentials_per_cpu_second: rate(count / cpuSeconds),
  count,
  seconds
}) + '\n');
