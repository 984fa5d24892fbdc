/**
 * Closing waits for every open connection, and neither Node nor Fastify ends two kinds: one that
 * never carried a request (browsers open spare connections ahead of need, and Node counts these as
 * busy), and the keep-alive connection of an answer still in flight when closing starts. Either
 * kept `close()` waiting, the first for as long as the browser kept its spare. So while closing,
 * a connection with no answer in flight is ended at once, and one with an answer ends with it.
 * A request whose body has not fully arrived when closing starts is no answer in flight: its
 * connection is ended at once too, rather than left to the client's pace.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

// fastify-plugin: `connection: close` while closing goes on every answer, so its hook must reach the root.
export const gracefulClose = fp(
  async (app: FastifyInstance) => {
    let closing = false;
    /** Every open connection, with the number of answers it has in flight. */
    const inFlight = new Map<Socket, number>();
    /** The latest request of each connection, to see whether it has fully arrived. */
    const latest = new WeakMap<Socket, IncomingMessage>();

    app.server.on('connection', (socket: Socket) => {
      inFlight.set(socket, 0);
      socket.once('close', () => inFlight.delete(socket));
    });
    app.server.on('request', (req, res) => {
      const socket = req.socket;
      latest.set(socket, req);
      const answers = inFlight.get(socket);
      if (answers !== undefined) inFlight.set(socket, answers + 1);
      res.once('close', () => {
        const before = inFlight.get(socket);
        if (before === undefined) return; // the connection closed first: nothing left to end or count
        const left = before - 1;
        inFlight.set(socket, left);
        // The answer is written out ('close' follows 'finish'), so ending the connection loses nothing.
        if (closing && left === 0) socket.destroy();
      });
    });

    app.addHook('preClose', async () => {
      closing = true;
      for (const [socket, answers] of inFlight) if (answers === 0 || latest.get(socket)?.complete === false) socket.destroy();
    });
    // Tells the client not to reuse the connection, so it does not send a request that would be cut off.
    app.addHook('onSend', async (_req, reply) => {
      if (closing) reply.header('connection', 'close');
    });
  },
  { name: 'graceful-close' },
);
