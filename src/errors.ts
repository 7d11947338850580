// Every error text Cairn sends, worded exactly as Redis 7.0.15 words it. Imports nothing.

/** An error reply. `message` is the full text after the '-', prefix included ("ERR …", "WRONGTYPE …"). */
export class ReplyError extends Error {
  constructor(message: string) {
    super(message);
  }
}

export const Err = {
  syntax: 'ERR syntax error',
  wrongType: 'WRONGTYPE Operation against a key holding the wrong kind of value',
  notInteger: 'ERR value is not an integer or out of range',
  notFloat: 'ERR value is not a valid float',
  overflow: 'ERR increment or decrement would overflow',
  incrFloatNaN: 'ERR increment would produce NaN or Infinity',
  noSuchKey: 'ERR no such key',
  noAuth: 'NOAUTH Authentication required.',
  wrongPass: 'WRONGPASS invalid username-password pair or user is disabled.',
  authNotConfigured:
    'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
  dbIndexOutOfRange: 'ERR DB index is out of range',
  invalidDbIndex: 'ERR invalid DB index',
  invalidExpire: (cmd: string) => `ERR invalid expire time in '${cmd}' command`,
  stringTooLong: 'ERR string exceeds maximum allowed size (proto-max-bulk-len)',
  bitOffset: 'ERR bit offset is not an integer or out of range',
  bitValue: 'ERR bit is not an integer or out of range',
  offsetOutOfRange: 'ERR offset is out of range',
  wrongArgs: (cmd: string) => `ERR wrong number of arguments for '${cmd}' command`,
  unknownCommand: (name: string, args: readonly string[]) => {
    // As Redis builds it: each argument quoted while the list (quotes and spaces included) is under 128 bytes.
    let list = '';
    for (const a of args) {
      if (list.length >= 128) break;
      list += `'${cstr(a).slice(0, 128 - list.length)}' `;
    }
    return `ERR unknown command '${cstr(name).slice(0, 128)}', with args beginning with: ${list}`;
  },
  unknownSubcommand: (sub: string, cmd: string) =>
    `ERR unknown subcommand '${cstr(sub).slice(0, 128)}'. Try ${cmd.toUpperCase()} HELP.`,
  sameObject: 'ERR source and destination objects are the same',
  notInMulti: 'ERR Command not allowed inside a transaction',
  multiNested: 'ERR MULTI calls can not be nested',
  execWithoutMulti: 'ERR EXEC without MULTI',
  discardWithoutMulti: 'ERR DISCARD without MULTI',
  execAbort: 'EXECABORT Transaction discarded because of previous errors.',
  loading: 'LOADING Redis is loading the dataset in memory',
  subscribedContext: (cmd: string) =>
    `ERR Can't execute '${cmd}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
  noProto: 'NOPROTO unsupported protocol version',
  timeoutNegative: 'ERR timeout is negative',
  timeoutNotFloat: 'ERR timeout is not a float or out of range',
  minMaxNotFloat: 'ERR min or max is not a float',
  clientNameSpaces: 'ERR Client names cannot contain spaces, newlines or special characters.',
  noSuchClient: 'ERR No such client',
  debugDisabled:
    'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.',
  protocol: (what: string) => `ERR Protocol error: ${what}`,
} as const;

/**
 * An argument as Redis's printf-style error formatting shows it (`%s`): up to its first NUL byte. Use it for
 * arguments quoted in error texts.
 */
export function cstr(s: string): string {
  const z = s.indexOf('\0');
  return z < 0 ? s : s.slice(0, z);
}

/** The C library's text for a file-system error code, as Redis prints strerror(errno). */
const STRERROR: Record<string, string> = {
  ENOSPC: 'No space left on device',
  EIO: 'Input/output error',
  EDQUOT: 'Disk quota exceeded',
  EBADF: 'Bad file descriptor',
  EROFS: 'Read-only file system',
  EFBIG: 'File too large',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
};

export function strerror(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code && STRERROR[code]) return STRERROR[code];
  return (e as Error).message ?? String(e);
}
