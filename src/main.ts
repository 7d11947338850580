#!/usr/bin/env node
// The `cairn` command: `cairn [config-file] [--directive value …]`, as redis-server takes them.

import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { Config, ConfigError, argsToConfigText, fsPath, shutdownOptionsOf } from './config.js';
import { startServer } from './index.js';
import { CAIRN_VERSION, REDIS_COMPAT_VERSION } from './server/server.js';

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
  try {
    const { file, text } = argsToConfigText(argv);
    if (file !== undefined) {
      let fileText: string;
      try {
        // Bytes as they are (latin1), as values that come over the network: a UTF-8 password in the file is the
        // bytes a client sends for it.
        fileText = readFileSync(file === '-' ? 0 : file, 'latin1');
      } catch (e) {
        throw new ConfigError(`Fatal error, can't open config file '${file}': ${(e as Error).message}`);
      }
      config.loadText(fileText, `the configuration file '${file}'`);
      if (file !== '-') config.configFile = resolve(file);
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
