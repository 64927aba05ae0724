// Starts lark-sim (`lark-companion-cli sim`) on a loopback port for a spec and stops it after.
// The CLI binary sits next to the app binary that run.sh was given.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';

export async function startSim() {
  const cli = path.join(path.dirname(process.env.LARK_COMPANION_BIN), 'lark-companion-cli');
  const child = spawn(cli, ['sim', '--listen', '127.0.0.1:0', '--json', '--seed', '4242'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('lark-sim did not start within 20 s')), 20000);
    child.once('error', reject);
    createInterface({ input: child.stdout }).once('line', (l) => { clearTimeout(timer); resolve(l); });
  });
  const printed = JSON.parse(line);
  return {
    baseUrl: printed.baseUrl,
    tenant: printed.tenant,
    async messages() {
      const res = await fetch(`${printed.baseUrl}/_sim/messages`, { signal: AbortSignal.timeout(5000) });
      return res.json();
    },
    stop() { child.kill('SIGTERM'); },
  };
}
