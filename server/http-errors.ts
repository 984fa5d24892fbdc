/** The server's own error answers: Katapult's envelope, never cached, never echoing the request. */
import type { FastifyReply } from 'fastify';
import { katapultError } from '../protocol/panel.ts';

export { katapultError };

export const sendError = (
  reply: FastifyReply,
  status: number,
  code: string,
  description: string,
  detail: Record<string, unknown> = {},
) => reply.code(status).header('cache-control', 'no-store').send(katapultError(code, description, detail));

/** Words for the statuses Fastify and Node produce themselves; fixed, so no input is echoed. */
const FRAMEWORK: Record<number, [code: string, description: string]> = {
  400: ['invalid_request', 'The request was not understood.'],
  404: ['route_not_found', 'Nothing here.'],
  405: ['method_not_allowed', 'This method is not allowed here.'],
  408: ['request_timeout', 'The request took too long to arrive.'],
  413: ['request_too_large', 'The request body is too large.'],
  414: ['uri_too_long', 'The request URL is too long.'],
  415: ['unsupported_media_type', 'The request body must be JSON.'],
  431: ['headers_too_large', 'The request headers are too large.'],
};

export function frameworkError(status: number): { status: number; code: string; description: string } {
  const known = FRAMEWORK[status];
  if (known) return { status, code: known[0], description: known[1] };
  if (status >= 400 && status < 500) return { status, code: 'invalid_request', description: 'The request was not understood.' };
  return { status: 500, code: 'panel_server_error', description: 'The panel’s server failed; see its log.' };
}
