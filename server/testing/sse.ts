/** Reads a Server-Sent Events answer with fetch, one event at a time, for tests and the bench. */

export interface SseEvent {
  id: string | undefined;
  event: string;
  data: string;
}

export interface SseStream {
  response: Response;
  /** The next event (comments and `retry:` lines skipped); rejects when the stream ends first. */
  next(): Promise<SseEvent>;
  /** The next comment line's text (a heartbeat). */
  nextComment(): Promise<string>;
  /** Resolves once the server has ended the stream. */
  ended(): Promise<void>;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let done = false;
  const frames: string[] = [];

  const readFrame = async (): Promise<string | undefined> => {
    for (;;) {
      if (frames.length > 0) return frames.shift();
      const i = buffer.indexOf('\n\n');
      if (i >= 0) {
        frames.push(buffer.slice(0, i));
        buffer = buffer.slice(i + 2);
        continue;
      }
      if (done) return undefined;
      const chunk = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (chunk.done) done = true;
      else buffer += chunk.value;
    }
  };

  const parse = (frame: string) => {
    const fields: Record<string, string[]> = {};
    for (const line of frame.split('\n')) {
      const colon = line.indexOf(':');
      const name = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      (fields[name] ??= []).push(value);
    }
    return fields;
  };

  return {
    response,
    async next() {
      for (;;) {
        const frame = await readFrame();
        if (frame === undefined) throw new Error('the event stream ended');
        const f = parse(frame);
        if (f.data === undefined) continue;
        return { id: f.id?.at(-1), event: f.event?.at(-1) ?? 'message', data: f.data.join('\n') };
      }
    },
    async nextComment() {
      for (;;) {
        const frame = await readFrame();
        if (frame === undefined) throw new Error('the event stream ended');
        const comment = frame.split('\n').find((l) => l.startsWith(':'));
        if (comment !== undefined) return comment.slice(1).trim();
      }
    },
    async ended() {
      while ((await readFrame()) !== undefined);
    },
    close: () => abort.abort(),
  };
}
