/**
 * Demo mode has no trusted user header, so every change would be "unknown". Each demo session (one
 * browser) gets a readable name instead, derived from its session id: the same browser keeps its
 * name, and two browsers tell their changes apart ("demo-user-otter is already changing this interface").
 */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

const ANIMALS = [
  'otter', 'badger', 'heron', 'lynx', 'marten', 'puffin', 'stoat', 'wren',
  'falcon', 'beaver', 'bison', 'crane', 'dormouse', 'egret', 'ferret', 'gecko',
  'hare', 'ibis', 'jackdaw', 'kestrel', 'lemur', 'mole', 'newt', 'osprey',
  'panda', 'quail', 'raven', 'seal', 'tapir', 'urchin', 'vole', 'walrus',
] as const;

/** "demo-user-otter-3f": an animal and two hex digits of the session's hash, so names rarely repeat. */
export function demoUserName(sessionId: string): string {
  const hash = createHash('sha256').update(sessionId).digest();
  return `demo-user-${ANIMALS[hash[0]! % ANIMALS.length]}-${hash[1]!.toString(16).padStart(2, '0')}`;
}

/** The demo user of a request, from its demo session cookie. */
export const demoUserOf =
  (sessionOf: (cookie: string | undefined) => string) =>
  (headers: IncomingHttpHeaders): string =>
    demoUserName(sessionOf(headers.cookie));
