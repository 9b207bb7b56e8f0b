import { spawnSync } from 'node:child_process';

/** Runs the `hunt` CLI as a user would (through bin/hunt.js), with a clean environment for settings. */
export function hunt(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/hunt.js', ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
