/** The Katapult shapes the panel uses, generated from the vendored spec (defined in protocol/, shared with the server and the mock). */
export type * from '../../protocol/katapult.ts';
