// OpenLDAP réel pour les tests : configuration et annuaire dans un dossier temporaire, port libre sur 127.0.0.1.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'ldapts';

export const LDAP_SUFFIX = 'dc=opsflux,dc=test';
export const LDAP_ADMIN = { dn: `cn=admin,${LDAP_SUFFIX}`, password: 'directory-admin-secret' };
const SLAPD = ['/usr/sbin/slapd', '/usr/bin/slapd'].find((p) => existsSync(p));
const SLAPADD = ['/usr/sbin/slapadd', '/usr/bin/slapadd'].find((p) => existsSync(p));

export interface Slapd {
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Démarre slapd avec l'annuaire LDIF donné ; échoue clairement si slapd n'est pas installé (apt-get install slapd). */
export async function startSlapd(ldif: string): Promise<Slapd> {
  if (!SLAPD || !SLAPADD) throw new Error('slapd is not installed: apt-get install -y slapd ldap-utils (.ci/run does it)');
  const dir = await mkdtemp(join(tmpdir(), 'opsflux-slapd-'));
  await mkdir(join(dir, 'db'));
  const conf = join(dir, 'slapd.conf');
  await writeFile(conf, [
    ...['core', 'cosine', 'inetorgperson', 'nis'].map((s) => `include /etc/ldap/schema/${s}.schema`),
    'modulepath /usr/lib/ldap', 'moduleload back_mdb',
    `pidfile ${join(dir, 'slapd.pid')}`,
    'database mdb', 'maxsize 10485760',
    `suffix "${LDAP_SUFFIX}"`, `rootdn "${LDAP_ADMIN.dn}"`, `rootpw ${LDAP_ADMIN.password}`,
    `directory ${join(dir, 'db')}`,
    'access to attrs=userPassword by anonymous auth by * none',
    'access to * by * read',
  ].join('\n'));
  await writeFile(join(dir, 'data.ldif'), ldif);
  execFileSync(SLAPADD, ['-f', conf, '-l', join(dir, 'data.ldif')], { stdio: 'pipe' });
  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(SLAPD, ['-d', '0', '-f', conf, '-h', `${url}/`], { stdio: 'ignore' });
  // prêt quand une liaison de l'administrateur réussit
  for (let i = 0; ; i++) {
    const client = new Client({ url, connectTimeout: 500 });
    try {
      await client.bind(LDAP_ADMIN.dn, LDAP_ADMIN.password);
      await client.unbind();
      break;
    } catch (error) {
      if (i > 100 || child.exitCode !== null) throw new Error(`slapd did not start: ${String(error)}`);
      await sleep(100);
    }
  }
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once('exit', resolve)));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Annuaire de test : trois personnes, deux groupes. */
export function directoryLdif(): string {
  const person = (uid: string, cn: string, mail: string, password: string) => `dn: uid=${uid},ou=people,${LDAP_SUFFIX}
objectClass: inetOrgPerson
uid: ${uid}
cn: ${cn}
sn: ${cn.split(' ').at(-1)}
mail: ${mail}
userPassword: ${password}
`;
  const group = (cn: string, members: string[]) => `dn: cn=${cn},ou=groups,${LDAP_SUFFIX}
objectClass: groupOfNames
cn: ${cn}
${members.map((m) => `member: uid=${m},ou=people,${LDAP_SUFFIX}`).join('\n')}
`;
  return [
    `dn: ${LDAP_SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\no: OpsFlux Test\ndc: opsflux\n`,
    `dn: ou=people,${LDAP_SUFFIX}\nobjectClass: organizationalUnit\nou: people\n`,
    `dn: ou=groups,${LDAP_SUFFIX}\nobjectClass: organizationalUnit\nou: groups\n`,
    person('alice', 'Alice Martin', 'Alice@Corp.test', 'alice-password'),
    person('bob', 'Bob Durand', 'bob@corp.test', 'bob-password'),
    person('carol', 'Carol Petit', 'carol@corp.test', 'carol-password'),
    group('accounting', ['alice', 'bob']),
    group('admins', ['alice']),
  ].join('\n');
}
