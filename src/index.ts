// The embedding API: start a Cairn server inside your own process (tests, tools) and stop it again.

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Config, ConfigError, fsPath, type ConfigValues } from './config.js';
import { Server, CAIRN_VERSION } from './server/server.js';
import { listen } from './server/listener.js';
import { logFileProblem } from './server/log.js';

export { Server, CAIRN_VERSION } from './server/server.js';
export { Config, ConfigError } from './config.js';

/** Any supported redis.conf directive, by its name; values as in the config file (numbers and booleans welcome). */
export type ServerOptions = { [K in keyof ConfigValues]?: string | number | boolean | string[] } & Record<
  string,
  unknown
>;

export interface RunningServer {
  /** The TCP port actually listened on (useful with port: 0); the TLS port when there is no plain one. */
  port: number;
  /** The TLS port (tls-port), 0 when TLS is off. */
  tlsPort: number;
  server: Server;
  close(): Promise<void>;
}

/** Builds a Config from options; unknown directives and bad values throw ConfigError. */
export function configFromOptions(options: ServerOptions, base = new Config()): Config {
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined) continue;
    const args = Array.isArray(value)
      ? value.map(String)
      : typeof value === 'boolean'
        ? [value ? 'yes' : 'no']
        : name === 'bind' || name === 'save' || name === 'db-persistence' || name === 'user'
          ? String(value)
              .split(' ')
              .filter((x) => x)
          : [String(value)];
    try {
      base.setFromFile(name, args);
    } catch (e) {
      throw new ConfigError(`Bad option '${name}': ${(e as Error).message}`);
    }
  }
  return base;
}

/**
 * Starts a server. `port: 0` picks a free port (with a `tls-port`, it means TLS only, as in redis-server).
 * Embedded servers log only warnings, save no snapshots, and keep their files in a private temporary directory
 * (removed at close) unless given `dir`: nothing is read from or written to the caller's working directory.
 *
 *     const s = await startServer({ port: 0 });
 *     … connect any Redis client to s.port …
 *     await s.close();
 */
export async function startServer(options: ServerOptions = {}, preset?: Config): Promise<RunningServer> {
  // Embedded servers save no snapshots unless asked (redis-server's default save points apply to `cairn`).
  let privateDir: string | undefined;
  if (preset === undefined && options['dir'] === undefined) {
    privateDir = mkdtempSync(path.join(tmpdir(), 'cairn-'));
  }
  // A start that fails leaves nothing behind: not the private directory, not a listener.
  const dropPrivateDir = (): void => {
    if (privateDir !== undefined) rmSync(privateDir, { recursive: true, force: true });
  };
  let server: Server;
  try {
    const config =
      preset ??
      configFromOptions({ loglevel: 'warning', save: '', ...options, ...(privateDir ? { dir: privateDir } : {}) });
    if (config.values.dir !== '.') mkdirSync(fsPath(config.values.dir), { recursive: true });
    // Shown and used as an absolute path from now on, as Redis shows the directory it changed into (getcwd).
    config.values.dir = path.resolve(config.values.dir);
    // As Redis refuses a log file it cannot open, rather than fail at the first line it logs.
    const logProblem = logFileProblem(config);
    if (logProblem !== undefined) throw new ConfigError(logProblem);
    server = new Server(config);
  } catch (e) {
    dropPrivateDir();
    throw e;
  }
  if (privateDir !== undefined) {
    // Registered first, so it runs last: after persistence has closed its files.
    server.onShutdown(dropPrivateDir);
  }
  const l = await listen(server).catch((e: unknown) => {
    dropPrivateDir();
    throw e;
  });
  server.onShutdown(() => l.close());
  // Load the dataset while listening: clients that connect meanwhile get LOADING errors.
  try {
    await server.persistence.start();
  } catch (e) {
    await server.shutdown();
    throw e;
  }
  server.onShutdown(() => server.persistence.close());
  server.start();
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= server.shutdown());
  server.onShutdownRequest = (opts) => {
    server.persistence.shutdownOptions = opts ?? {};
    void close();
  };
  server.onFatal = () => {
    server.persistence.shutdownOptions = { nosave: true };
    void close();
  };
  server.log(
    'notice',
    `Cairn ${CAIRN_VERSION} (Redis ${'7.0.15'} compatible) ready to accept connections on ${l.addresses.join(', ')}`,
  );
  return { port: l.ports[0]!, tlsPort: l.tlsPort, server, close };
}
