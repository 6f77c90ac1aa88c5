import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { freePort } from '../../bench/processes.js';
import { join } from 'node:path';

/**
 * A private Dovecot IMAP server for tests: its own config, passwd-file users and Maildirs under a
 * temp dir, listening on a free loopback port, run in the foreground (`dovecot -F`) as a child
 * process. No system service is touched. CI installs it with `apt-get install -y dovecot-imapd`.
 */
export type ImapTestServer = {
  host: string;
  port: number;
  users: { user: string; pass: string }[];
  /** imapflow options for one of the users (plain IMAP on loopback, no TLS). */
  clientOptions(user?: string): { host: string; port: number; secure: false; auth: { user: string; pass: string } };
  stop(): Promise<void>;
};

const DOVECOT = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'].find((p) => existsSync(p)) ?? 'dovecot';

/** True when a dovecot binary can run here. Tests use it only as a fallback skip; CI installs it. */
export const dovecotAvailable: boolean = (() => {
  try {
    return spawnSync(DOVECOT, ['--version'], { stdio: 'ignore' }).status === 0;
  } catch {
    return false;
  }
})();

export { freePort };

/**
 * imap-login refuses to run as root: as root (CI) the package's unprivileged users take the
 * login/internal roles; as any other user, that user does (dovecot then runs unprivileged).
 */
type ServiceUsers = { login: string; internal: string; group: string; uid: number; gid: number };

function serviceUsers(): ServiceUsers {
  const me = userInfo();
  if (me.uid !== 0) {
    const group = groupName(me.gid);
    return { login: me.username, internal: me.username, group, uid: me.uid, gid: me.gid };
  }
  // Mail is not accessed as root either: the Maildirs belong to nobody:nogroup.
  return { login: 'dovenull', internal: 'dovecot', group: 'dovecot', uid: 65534, gid: 65534 };
}

/** The name of a group id (dovecot's config wants names), from /etc/group. */
function groupName(gid: number): string {
  const line = readFileSync('/etc/group', 'utf8')
    .split('\n')
    .find((l) => l.split(':')[2] === String(gid));
  return line?.split(':')[0] ?? userInfo().username;
}

function config(dir: string, port: number): string {
  const { login, internal, group, uid, gid } = serviceUsers();
  return `protocols = imap
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
instance_name = hsb-test-${port}
log_path = ${dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = ${login}
default_internal_user = ${internal}
default_internal_group = ${group}
first_valid_uid = 0
first_valid_gid = 0
mail_location = maildir:${dir}/home/%u/Maildir
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${uid} gid=${gid} home=${dir}/home/%u
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
`;
}

const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!running(child)) throw new Error(`dovecot exited with ${child.exitCode ?? child.signalCode}`);
    const greeted = await new Promise<boolean>((resolve) => {
      const sock = createConnection({ host: '127.0.0.1', port });
      // The master accepts before imap-login is up; only the greeting means ready.
      sock.setTimeout(1000, () => {
        sock.destroy();
        resolve(false);
      });
      sock.once('data', (d) => {
        sock.destroy();
        resolve(d.toString().startsWith('* OK'));
      });
      sock.once('error', () => resolve(false));
    });
    if (greeted) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('dovecot did not start listening in time');
}

/** Starts dovecot with the given users (default: one support mailbox). Call stop() in afterAll. */
export async function startImapServer(
  users: { user: string; pass: string }[] = [{ user: 'support@shop.test', pass: 'secret-pass' }],
): Promise<ImapTestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'hsb-dovecot-'));
  // dovecot's unprivileged login/auth processes must reach the sockets and passwd file in here.
  chmodSync(dir, 0o755);
  for (const sub of ['run', 'state', 'home']) mkdirSync(join(dir, sub));
  writeFileSync(join(dir, 'passwd'), users.map((u) => `${u.user}:{PLAIN}${u.pass}`).join('\n') + '\n');
  const port = await freePort();
  const { uid, gid } = serviceUsers();
  chownSync(join(dir, 'home'), uid, gid);
  writeFileSync(join(dir, 'dovecot.conf'), config(dir, port));
  const child = spawn(DOVECOT, ['-F', '-c', join(dir, 'dovecot.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    await waitForPort(port, child, 10_000);
  } catch (err) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(err as Error).message}: ${stderr.trim()}`);
  }
  return {
    host: '127.0.0.1',
    port,
    users,
    clientOptions(user = users[0]!.user) {
      const found = users.find((u) => u.user === user);
      if (!found) throw new Error(`no test IMAP user ${user}`);
      return { host: '127.0.0.1', port, secure: false, auth: { user: found.user, pass: found.pass } };
    },
    async stop() {
      if (running(child)) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (running(child)) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
