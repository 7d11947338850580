// Config.set's refusals in the order Redis 7.0's CONFIG SET finds them (config.c): names first (unknown, then
// immutable, protected and duplicate ones), directives that cannot change while the dataset loads (dir and
// appendonly answer LOADING), then the values. The server's CONFIG SET maps LOADING_REFUSED to the LOADING error;
// a load long enough to ask during it is not practical in a test, so the rules are checked here.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Config, LOADING_REFUSED } from '../../src/config.js';

test('while loading, dir and appendonly are refused with LOADING; other directives are not', () => {
  const c = new Config();
  const dir = c.values.dir;
  assert.equal(c.set([['dir', '/tmp']], true, true), LOADING_REFUSED);
  assert.equal(c.values.dir, dir);
  assert.equal(c.set([['appendonly', 'yes']], true, true), LOADING_REFUSED);
  assert.equal(c.values.appendonly, false);
  assert.equal(c.set([['APPENDONLY', 'yes']], true, true), LOADING_REFUSED);
  assert.equal(c.set([['hz', '20']], true, true), undefined);
  assert.equal(c.values.hz, 20);
  // The whole CONFIG SET is refused, the other pairs included.
  assert.equal(
    c.set(
      [
        ['hz', '30'],
        ['appendonly', 'yes'],
      ],
      true,
      true,
    ),
    LOADING_REFUSED,
  );
  assert.equal(c.values.hz, 20);
  // Not loading: set as usual.
  assert.equal(c.set([['appendonly', 'yes']], true, false), undefined);
  assert.equal(c.values.appendonly, true);
});

test('an error found before the refused directive is reported instead; one found after it is not', () => {
  const c = new Config();
  assert.equal(
    c.set(
      [
        ['nosuch', 'x'],
        ['dir', '/tmp'],
      ],
      true,
      true,
    ),
    "Unknown option or number of arguments for CONFIG SET - 'nosuch'",
  );
  assert.equal(
    c.set(
      [
        ['databases', '3'],
        ['dir', '/tmp'],
      ],
      true,
      true,
    ),
    "CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config",
  );
  assert.equal(
    c.set([['dir', '/tmp']], false, true),
    "CONFIG SET failed (possibly related to argument 'dir') - can't set protected config",
  );
  assert.equal(
    c.set(
      [
        ['dir', '/tmp'],
        ['nosuch', 'x'],
      ],
      true,
      true,
    ),
    LOADING_REFUSED,
  );
  assert.equal(
    c.set(
      [
        ['appendonly', 'yes'],
        ['databases', '3'],
      ],
      true,
      true,
    ),
    LOADING_REFUSED,
  );
  assert.equal(c.set([['appendonly', 'maybe']], true, true), LOADING_REFUSED);
});
