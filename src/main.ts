#!/usr/bin/env node
// The `cairn` command: `cairn [config-file] [--directive value …]`, as redis-server takes them.

import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { Config, ConfigError, argsToConfigText, expandProcTitle, fsPath, shutdownOptionsOf } from './config.js';
import { startServer } from './index.js';
import { CAIRN_VERSION, REDIS_COMPAT_VERSION } from './server/server.js';

/** Set in the environment of the copy `daemonize yes` starts, which then runs the server. */
const DAEMON_CHILD = 'CAIRN_DAEMON_CHILD';
/** Redis's pid file for a daemon without one configured. */
const DEFAULT_PID_FILE = '/var/run/redis.pid';

/**
 * daemonize yes, as Redis's fork: a copy of this process (same Node flags, same arguments) is started detached, in
 * a session of its own, with every standard stream on /dev/null, and this one exits at once. A configuration read
 * from standard input is handed to the copy on its standard input.
 */
function daemonize(configFromStdin: string | undefined): void {
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    detached: true,
    stdio: [configFromStdin === undefined ? 'ignore' : 'pipe', 'ignore', 'ignore'],
    env: { ...process.env, [DAEMON_CHILD]: '1' },
  });
  if (configFromStdin !== undefined) child.stdin!.end(configFromStdin, 'latin1');
  child.unref();
  process.exit(0);
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '-v' || argv[0] === '--version') {
    process.stdout.write(
      `Cairn server v=${CAIRN_VERSION} (Redis ${REDIS_COMPAT_VERSION} compatible) node=${process.version}\n`,
    );
    return;
  }
  if (argv[0] === 'check-aof') {
    const { checkAof } = await import('./persistence/check.js');
    process.exit(checkAof(argv.slice(1)));
  }
  if (argv[0] === '-h' || argv[0] === '--help') {
    process.stdout.write(
      'Usage: cairn [/path/to/cairn.conf] [--directive value ...]\n' +
        '       cairn --port 7777 --dir ./data\n' +
        '       cairn /etc/cairn.conf --loglevel verbose\n' +
        '       cairn check-aof [--fix] <dir>/appendonlydir/appendonly.aof.manifest\n' +
        'Directives are redis.conf names (port, bind, dir, requirepass, databases, loglevel, ...).\n',
    );
    return;
  }
  const config = new Config();
  let configFromStdin: string | undefined;
  try {
    const { file, stdin, text } = argsToConfigText(argv);
    if (file !== undefined) {
      let fileText: string;
      try {
        // Bytes as they are (latin1), as values that come over the network: a UTF-8 password in the file is the
        // bytes a client sends for it.
        fileText = readFileSync(file, 'latin1');
      } catch (e) {
        throw new ConfigError(`Fatal error, can't open config file '${file}': ${(e as Error).message}`);
      }
      config.loadText(fileText, `the configuration file '${file}'`);
      config.configFile = resolve(file);
    }
    if (stdin) {
      configFromStdin = readFileSync(0, 'latin1');
      config.loadText(configFromStdin, 'the configuration from standard input');
    }
    // Node decoded the arguments from UTF-8: back to their bytes.
    config.loadText(Buffer.from(text, 'utf8').toString('latin1'), 'the command line arguments');
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(e.message.trimStart() + '\n');
      process.exit(1);
    }
    throw e;
  }
  if (config.values.daemonize) {
    if (process.env[DAEMON_CHILD] !== '1') {
      daemonize(configFromStdin);
      return;
    }
    // As Redis: a daemon always has a pid file, by default Redis's.
    if (config.values.pidfile === '') config.values.pidfile = DEFAULT_PID_FILE;
  }
  // The pidfile exists before the server says it is ready (as with Redis): whoever waits for "ready" finds it.
  const pidfile = config.values.pidfile;
  if (pidfile) {
    try {
      writeFileSync(fsPath(pidfile), `${process.pid}\n`);
    } catch (e) {
      // Redis too starts without it.
      process.stderr.write(`Failed to write PID file: ${(e as Error).message}\n`);
    }
  }
  const running = await startServer({}, config).catch((e: Error & { code?: string }) => {
    if (pidfile) rmSync(fsPath(pidfile), { force: true });
    process.stderr.write(`Could not start Cairn: ${e.message}\n`);
    process.exit(1);
  });
  const { server } = running;
  // The process title, as Redis sets it (only the cairn command does: an embedding program keeps its own).
  const setTitle = (): void => {
    const v = config.values;
    const port = v.port !== 0 ? v.port : v['tls-port'] !== 0 ? v['tls-port'] : (server.ports[0] ?? 0);
    const title = expandProcTitle(v['proc-title-template'], (name) => {
      switch (name) {
        case 'title':
          return process.argv[1] ?? process.argv0;
        case 'listen-addr':
          return `${v.bind[0] ?? '*'}:${port}`;
        case 'config-file':
          return config.configFile ?? '-';
        case 'port':
          return String(v.port);
        case 'tls-port':
          return String(v['tls-port']);
        default:
          return ''; // server-mode (never cluster or sentinel), unixsocket (none)
      }
    });
    if (title) process.title = title;
  };
  if (config.values['set-proc-title']) setTitle();
  const prevOnChange = config.onChange;
  config.onChange = (name) => {
    prevOnChange(name);
    if (name === 'proc-title-template') setTitle();
    else if ((name === 'port' || name === 'bind' || name === 'tls-port') && config.values['set-proc-title']) setTitle();
  };
  server.log('notice', `Cairn ${CAIRN_VERSION}, pid=${process.pid}, port=${running.port}, dir=${config.values.dir}`);
  let stopping = false;
  const stop = async (why: string, signal?: 'SIGINT' | 'SIGTERM') => {
    if (stopping) return;
    server.log('warning', `${why}: shutting down.`);
    // On a signal the final save comes first, as for SHUTDOWN, with the modifiers shutdown-on-sigint/-sigterm
    // give: when it fails the server stays up (as Redis does), rather than exit with unsaved data. SHUTDOWN has
    // made it already.
    if (signal !== undefined) {
      const flags = config.values[signal === 'SIGINT' ? 'shutdown-on-sigint' : 'shutdown-on-sigterm'];
      if (!server.persistence.prepareShutdown(shutdownOptionsOf(flags))) return;
    }
    stopping = true;
    await running.close();
    if (pidfile) rmSync(fsPath(pidfile), { force: true });
    server.log('notice', 'Cairn is now ready to exit, bye bye...');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('Received SIGINT scheduling shutdown', 'SIGINT'));
  process.on('SIGTERM', () => void stop('Received SIGTERM scheduling shutdown', 'SIGTERM'));
  server.onFatal = () => process.exit(1);
  server.onShutdownRequest = (opts) => {
    server.persistence.shutdownOptions = opts ?? {};
    void stop('User requested shutdown');
  };
}

void main(process.argv.slice(2));
