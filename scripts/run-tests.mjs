#!/usr/bin/env node
// Lance toute la suite : unitaires + intégration sur PGlite, bout en bout dans Chromium, puis intégration sur le serveur PostgreSQL
// (une base neuve par exécution, créée puis supprimée ici). En CI (CI=true), un serveur injoignable est un échec.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import pg from 'pg';

const adminUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const inCi = process.env.CI === 'true' || process.env.CI === '1';
const extra = process.argv.slice(2);

function vitest(args, env = {}) {
  const result = spawnSync('npx', ['vitest', 'run', ...args, ...extra], { stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status ?? 1;
}

/** Passe en arrière-plan, chaque ligne de sa sortie préfixée (deux passes concurrentes restent lisibles). */
function vitestPrefixed(prefix, args, env) {
  const child = spawn('npx', ['vitest', 'run', ...args, ...extra], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream }).on('line', (line) => console.log(`[${prefix}] ${line}`));
  return new Promise((resolve) => child.once('close', (code) => resolve(code ?? 1)));
}

console.log('\n== unit and integration tests on embedded PGlite ==');
const { OPSFLUX_TEST_DATABASE_URL: _ignored, ...cleanEnv } = process.env;
process.env = cleanEnv;
// une base PGlite par fichier : les fichiers tournent en parallèle sans rien partager (deux au moins, même sur deux cœurs)
const workers = String(Math.max(2, availableParallelism() - 1));
if (vitest(['--project', 'cli', '--project', 'unit', '--project', 'integration', '--project', 'modules', '--maxWorkers', workers]) !== 0) process.exit(1);

// le navigateur à part : sous la charge des tests d'intégration, ses attentes deviendraient fragiles
console.log('\n== end-to-end tests in Chromium (embedded PGlite) ==');
if (vitest(['--project', 'e2e']) !== 0) process.exit(1);

const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
try {
  await admin.connect();
} catch (error) {
  const reason = `PostgreSQL server unreachable: ${error.message}`;
  if (inCi) {
    console.error(`FAIL: ${reason} (CI=true: the server run is mandatory)`);
    process.exit(1);
  }
  console.warn(`SKIPPED: ${reason}. Set DATABASE_URL to run the server suite.`);
  process.exit(0);
}
const suffix = `${Date.now()}_${randomBytes(3).toString('hex')}`;

/**
 * Une passe de la suite d'intégration sur une base neuve du serveur, créée puis supprimée ici. Dans une passe, les
 * fichiers se suivent : ils partagent la base (réglages et clés de la plateforme, modules installés).
 */
async function serverPass(label, owner) {
  const name = `opsflux_test_${owner ? 'owner_' : ''}${suffix}`;
  console.log(`\n== ${label} ==`);
  await admin.query(`CREATE DATABASE ${name}${owner ? ` OWNER ${owner}` : ''}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  if (owner) {
    url.username = owner;
    url.password = ownerPassword;
  }
  try {
    return await vitestPrefixed(owner ? 'pg-owner' : 'pg', ['--project', 'integration', '--project', 'modules'], { OPSFLUX_TEST_DATABASE_URL: url.toString() });
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch((e) => console.warn(`could not drop ${name}: ${e.message}`));
  }
}

// Propriétaire ni superutilisateur ni BYPASSRLS, membre des deux rôles d'OpsFlux (comme l'accorderait un exploitant) :
// la RLS s'applique alors aussi à lui, et tout chemin qui comptait sur les privilèges de l'utilisateur de la base échoue.
const owner = `opsflux_owner_${suffix}`;
const ownerPassword = randomBytes(12).toString('hex');
async function createOwner() {
  await admin.query(`CREATE ROLE ${owner} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD '${ownerPassword}'`);
  for (const role of ['opsflux_app', 'opsflux_platform']) {
    await admin.query(`DO $$ BEGIN CREATE ROLE ${role} NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT; EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
    await admin.query(`GRANT ${role} TO ${owner}`);
  }
}

let status = 1;
try {
  await createOwner();
  // deux bases distinctes (verrous consultatifs, LISTEN/NOTIFY et tables propres à chacune) : les deux passes en même temps
  const statuses = await Promise.all([
    serverPass(`integration tests on the PostgreSQL server (${adminUrl.replace(/:[^:@/]*@/, ':***@')})`, undefined),
    serverPass('integration tests on the PostgreSQL server, database owned by a non-superuser role', owner),
  ]);
  status = statuses.every((s) => s === 0) ? 0 : 1;
  if (status !== 0) console.error(`FAIL: server passes exited ${statuses.join(', ')} (pg, pg-owner)`);
} finally {
  await admin.query(`DROP ROLE IF EXISTS ${owner}`).catch((e) => console.warn(`could not drop ${owner}: ${e.message}`));
  await admin.end();
}
process.exit(status);
