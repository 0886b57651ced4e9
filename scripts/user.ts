/**
 * npm run user -- COMMAND …: manage the console's users and API tokens in its database (the
 * same one the running server uses: $DATABASE_URL, else $KSC_DATA_DIR/ksc.sqlite).
 *
 *   add NAME --role viewer|operator|admin [--hosts a,b] [--password-stdin]
 *   passwd NAME --password-stdin
 *   disable NAME | enable NAME
 *   list
 *   token NAME [--role ROLE] [--expires 30d] [--name LABEL]   prints a new API token once
 *   grant NAME|group:GROUP --role ROLE [--hosts a,b]            adds a grant
 *
 * Without --password-stdin, `add` generates a password and prints it once. Every change is
 * recorded in the audit log as done by `cli` (actor: the OS user).
 */
import { userInfo } from 'node:os';
import { isRole, strongestOf, type HostScope, type Role } from '@/lib/auth/roles';
import { appendAudit } from '@/server/audit/log';
import { generatePassword } from '@/server/auth/secrets';
import { createToken } from '@/server/auth/tokens';
import { addGrant, addUser, grantsFor, listUsers, requireUser, setDisabled, setPassword, setUserGrant } from '@/server/auth/users';
import { parseArgs, runCli, UsageError } from './cli';

const USAGE = `usage: npm run user -- add NAME --role ROLE [--hosts a,b] [--password-stdin]
                     passwd NAME --password-stdin
                     disable NAME | enable NAME
                     list
                     token NAME [--role ROLE] [--expires 30d] [--name LABEL]
                     grant NAME|group:GROUP --role ROLE [--hosts a,b]
roles: viewer, operator, admin; hosts: inventory ids (default: all)`;

const parse = (argv: string[]) => parseArgs(argv, { switches: new Set(['password-stdin']), withValue: new Set(['role', 'hosts', 'expires', 'name']) });

async function stdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

function roleFlag(v: string | true | undefined, fallback?: Role): Role {
  if (v === undefined && fallback) return fallback;
  if (!isRole(v)) throw new UsageError(`--role must be viewer, operator or admin`);
  return v;
}

function hostsFlag(v: string | true | undefined): HostScope {
  if (v === undefined || v === '*' || v === 'all') return '*';
  if (v === true) throw new UsageError('--hosts needs a list');
  const list = v.split(',').map((s) => s.trim()).filter(Boolean);
  if (!list.length) throw new UsageError('--hosts needs at least one host id');
  return list;
}

const actor = () => `cli:${userInfo().username}`;
const audit = (operation: string, objectKind: string, object: string, detail: Record<string, unknown> = {}) =>
  appendAudit({ actorKind: 'system', actor: actor(), operation, result: 'ok', objectKind, object, detail });

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  const { pos, flags } = parse(rest);
  switch (cmd) {
    case 'add': {
      const name = pos[0];
      if (!name) throw new UsageError('add needs a user name');
      const role = roleFlag(flags.get('role'));
      const hosts = hostsFlag(flags.get('hosts'));
      const generated = flags.get('password-stdin') ? null : generatePassword();
      const password = generated ?? (await stdinLine());
      const u = await addUser({ username: name, password });
      await setUserGrant(u.id, role, hosts);
      await audit('user.add', 'user', name, { role, hosts });
      console.log(`added ${name} (${role} on ${hosts === '*' ? 'every host' : hosts.join(', ')})`);
      if (generated) console.log(`password: ${generated}`);
      return 0;
    }
    case 'passwd': {
      const name = pos[0];
      if (!name || !flags.get('password-stdin')) throw new UsageError('passwd NAME --password-stdin');
      await setPassword(name, await stdinLine());
      await audit('user.passwd', 'user', name);
      console.log(`password of ${name} changed`);
      return 0;
    }
    case 'disable':
    case 'enable': {
      const name = pos[0];
      if (!name) throw new UsageError(`${cmd} needs a user name`);
      await setDisabled(name, cmd === 'disable');
      await audit(`user.${cmd}`, 'user', name);
      console.log(`${name} ${cmd}d${cmd === 'disable' ? ' (its sessions and tokens are revoked)' : ''}`);
      return 0;
    }
    case 'list': {
      const users = await listUsers();
      for (const u of users) {
        const grants = await grantsFor(u.id);
        const g = grants.map((x) => `${x.role}@${x.hosts === '*' ? '*' : x.hosts.join(',')}`).join(' ') || '(no grants)';
        console.log(`${u.username.padEnd(20)} ${u.source.padEnd(6)} ${u.disabled ? 'disabled' : 'active  '} ${g}`);
      }
      if (!users.length) console.log('(no users)');
      return 0;
    }
    case 'token': {
      const name = pos[0];
      if (!name) throw new UsageError('token needs a user name');
      const u = await requireUser(name);
      const grants = await grantsFor(u.id);
      const strongest = strongestOf(grants);
      const role = roleFlag(flags.get('role'), strongest ?? 'viewer');
      const label = typeof flags.get('name') === 'string' ? (flags.get('name') as string) : `cli ${new Date().toISOString().slice(0, 10)}`;
      const { token, record } = await createToken({ userId: u.id, ownerRole: strongest, name: label, role, expires: flags.get('expires') });
      await audit('token.create', 'token', record.id, { owner: name, role, expiresAt: record.expiresAt });
      console.log(token);
      return 0;
    }
    case 'grant': {
      const who = pos[0];
      if (!who) throw new UsageError('grant needs a user name or group:GROUP');
      const role = roleFlag(flags.get('role'));
      const hosts = hostsFlag(flags.get('hosts'));
      const g = who.startsWith('group:')
        ? await addGrant({ subjectKind: 'group', subject: who.slice(6), role, hosts })
        : await addGrant({ subjectKind: 'user', subject: (await requireUser(who)).id, role, hosts });
      await audit('grant.add', 'grant', g.id, { subject: who, role, hosts });
      console.log(`granted ${role} on ${hosts === '*' ? 'every host' : hosts.join(', ')} to ${who}`);
      return 0;
    }
    default:
      throw new UsageError(cmd ? `unknown command “${cmd}”` : 'no command');
  }
}

runCli(main, USAGE);
