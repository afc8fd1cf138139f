import { afterEach } from 'vitest';

interface Closable {
  close(): Promise<unknown>;
}

/**
 * For suites whose tests each start their own servers (a clock of their own per test): the
 * returned `closing(x)` hands `x` back and closes it after the test, last started first (the app
 * server before the SMTP server or push service it talks to).
 */
export function closeAfterEach(): <T extends Closable>(thing: T) => T {
  const open: Closable[] = [];
  afterEach(async () => {
    for (let o = open.pop(); o; o = open.pop()) await o.close();
  });
  return (thing) => {
    open.push(thing);
    return thing;
  };
}
