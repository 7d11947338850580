// Every command family's rows, gathered for the command table.

import type { CommandSpec } from './spec.js';
import { connectionCommands } from './connection.js';
import { stringCommands } from './string.js';
import { bitmapCommands } from './bitmap.js';
import { keyCommands } from './generic.js';
import { serverCommands } from './server.js';
import { clientCommands } from './client.js';
import { introspectionCommands } from './introspection.js';
import { persistenceCommands } from './persistence.js';
import { listCommands } from './list.js';
import { hashCommands } from './hash.js';
import { setCommands } from './set.js';
import { sortedSetCommands } from './sorted-set.js';
import { pubsubCommands } from './pubsub.js';
import { transactionCommands } from './transaction.js';
import { sortCommands } from './sort.js';
import { aclCommands } from './acl.js';

export const allCommandFamilies: readonly (readonly CommandSpec[])[] = [
  connectionCommands,
  stringCommands,
  bitmapCommands,
  keyCommands,
  serverCommands,
  clientCommands,
  introspectionCommands,
  persistenceCommands,
  listCommands,
  hashCommands,
  setCommands,
  sortedSetCommands,
  pubsubCommands,
  transactionCommands,
  sortCommands,
  aclCommands,
];
