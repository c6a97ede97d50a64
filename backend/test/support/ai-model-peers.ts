// Pair d'IA sur la boucle locale pour les plongements et la transcription, au vrai format : `POST /v1/embeddings`
// d'OpenAI (que suivent Mistral et les serveurs compatibles) et `POST /v1/audio/transcriptions` (multipart, réponse
// `verbose_json` de whisper) ; `POST /api/embed` d'Ollama. Les vecteurs se déduisent du texte (même texte, même vecteur) ; chaque requête est
// gardée (chemin, champs reçus, taille du son). Un préfixe peut être mis en panne (500).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ModelPeerRequest {
  path: string;
  authorization: string | undefined;
  /** corps JSON (plongements) ou champs du formulaire (transcription), le son remplacé par sa taille et son type */
  body: Record<string, unknown>;
}

export interface AiModelPeer {
  /** `/<préfixe>/v1` ; `/<préfixe>/api` pour un préfixe `ollama…` */
  baseUrl(prefix: string): string;
  requests: ModelPeerRequest[];
  /** texte rendu par la transcription pour ce préfixe */
  transcript(prefix: string, text: string): void;
  fail(prefix: string): void;
  close(): Promise<void>;
}

/** Vecteur de 8 dimensions tiré du texte : stable, distinct d'un texte à l'autre. */
export function vectorOf(text: string): number[] {
  const vector = Array.from({ length: 8 }, () => 0);
  for (let i = 0; i < text.length; i++) vector[i % 8]! += text.charCodeAt(i) / 1000;
  return vector.map((v) => Math.round(v * 1000) / 1000);
}

export async function startAiModelPeer(): Promise<AiModelPeer> {
  const requests: ModelPeerRequest[] = [];
  const transcripts = new Map<string, string>();
  const failing = new Set<string>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => void (async () => {
      const path = req.url ?? '/';
      const prefix = path.split('/')[1] ?? '';
      const raw = Buffer.concat(chunks);
      const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      const record = (body: Record<string, unknown>) => requests.push({ path, authorization: req.headers.authorization, body });
      if (path === `/${prefix}/v1/embeddings`) {
        const body = JSON.parse(raw.toString()) as { model: string; input: string[] };
        record(body);
        if (failing.has(prefix)) return send(500, { error: { message: 'peer failure 500', type: 'server_error', code: null } });
        const tokens = body.input.reduce((sum, text) => sum + Math.ceil(text.length / 4), 0);
        return send(200, {
          object: 'list', model: body.model,
          data: body.input.map((text, index) => ({ object: 'embedding', index, embedding: vectorOf(text) })),
          usage: { prompt_tokens: tokens, total_tokens: tokens },
        });
      }
      if (path === `/${prefix}/api/embed`) {
        const body = JSON.parse(raw.toString()) as { model: string; input: string[] };
        record(body);
        if (failing.has(prefix)) return send(500, { error: 'peer failure 500' });
        const tokens = body.input.reduce((sum, text) => sum + Math.ceil(text.length / 4), 0);
        return send(200, { model: body.model, embeddings: body.input.map(vectorOf), total_duration: 1_000_000, load_duration: 1000, prompt_eval_count: tokens });
      }
      if (path === `/${prefix}/v1/audio/transcriptions`) {
        // le formulaire multipart relu par l'API Fetch, comme un serveur le ferait
        const form = await new Request('http://peer/', { method: 'POST', headers: { 'content-type': req.headers['content-type'] ?? '' }, body: raw }).formData();
        const fields: Record<string, unknown> = {};
        for (const [name, value] of form.entries()) {
          fields[name] = typeof value === 'string' ? value : { filename: value.name, type: value.type, bytes: value.size };
        }
        record(fields);
        if (failing.has(prefix)) return send(500, { error: { message: 'peer failure 500', type: 'server_error', code: null } });
        const text = transcripts.get(prefix) ?? '…';
        return send(200, { task: 'transcribe', language: 'french', duration: 2.5, text, segments: [{
          id: 0, seek: 0, start: 0, end: 2.5, text, tokens: [50364, 3687], temperature: 0, avg_logprob: -0.2, compression_ratio: 1.1, no_speech_prob: 0.01,
        }] });
      }
      res.writeHead(404).end();
    })());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    requests,
    baseUrl: (prefix) => `http://127.0.0.1:${port}/${prefix}/${prefix.startsWith('ollama') ? 'api' : 'v1'}`,
    transcript: (prefix, text) => void transcripts.set(prefix, text),
    fail: (prefix) => void failing.add(prefix),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
