// Client SSE de test : `fetch` sur un vrai port, flux lu et découpé en événements (id, event, data JSON).
export interface SseEvent {
  id?: string;
  event: string;
  data: any;
}

export interface SseStream {
  status: number;
  contentType: string | null;
  events: SseEvent[];
  /** commentaires reçus (battements) */
  comments: number;
  close(): Promise<void>;
}

function parse(block: string): SseEvent | 'comment' | undefined {
  const event: Partial<SseEvent> & { lines: string[] } = { event: 'message', lines: [] };
  let comment = false;
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) comment = true;
    else if (line.startsWith('id: ')) event.id = line.slice(4);
    else if (line.startsWith('event: ')) event.event = line.slice(7);
    else if (line.startsWith('data: ')) event.lines.push(line.slice(6));
  }
  if (event.lines.length === 0) return comment ? 'comment' : undefined;
  return { id: event.id, event: event.event!, data: JSON.parse(event.lines.join('\n')) };
}

/** Événements d'un flux déjà reçu en entier (réponse terminée). */
export function parseSse(text: string): SseEvent[] {
  return text.split('\n\n').map(parse).filter((e): e is SseEvent => e !== undefined && e !== 'comment');
}

export async function openStream(url: string, headers: Record<string, string>): Promise<SseStream> {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  const stream: SseStream = { status: res.status, contentType: res.headers.get('content-type'), events: [], comments: 0, close: async () => undefined };
  if (!res.body || res.status !== 200) {
    await res.body?.cancel();
    return stream;
  }
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  const pump = (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const parsed = parse(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (parsed === 'comment') stream.comments++;
          else if (parsed) stream.events.push(parsed);
        }
      }
    } catch {
      // flux interrompu par close()
    }
  })();
  stream.close = async () => {
    controller.abort();
    await pump;
  };
  return stream;
}
