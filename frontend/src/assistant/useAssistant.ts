// Conversation avec l'assistant : la question part en POST, la réponse arrive en flux SSE (texte, outils, citations,
// propositions) et s'affiche au fil de l'eau ; une proposition se confirme ou s'annule ici. Toute la logique est au
// serveur : ce module ne fait que lire le flux.
import { useCallback, useRef, useState } from 'react';
import { sessionFetch, sessionHeaders } from '../api/client';

export interface Citation {
  entity: string;
  id: string;
  label: string;
  link: string;
}

export interface ProposalCard {
  id: string;
  action: 'create' | 'update' | 'delete' | 'run';
  entity: string;
  recordId: string | null;
  summary: string | null;
  status: 'pending' | 'applied' | 'cancelled' | 'failed';
  error?: string;
}

export interface Turn {
  question: string;
  answer: string;
  tools: string[];
  citations: Citation[];
  proposals: ProposalCard[];
  error?: string;
  done: boolean;
}

/** Événements complets d'un morceau de flux ; le reste (événement coupé) est rendu pour le morceau suivant. */
function splitEvents(buffer: string): { events: Array<{ event: string; data: any }>; rest: string } {
  const blocks = buffer.split('\n\n');
  const rest = blocks.pop() ?? '';
  const events = blocks.flatMap((block) => {
    const event = /^event: (.+)$/m.exec(block)?.[1];
    const data = /^data: (.+)$/m.exec(block)?.[1];
    return event && data ? [{ event, data: JSON.parse(data) }] : [];
  });
  return { events, rest };
}

export function useAssistant() {
  const [turns, setTurns] = useState<Turn[]>([]);
  const [busy, setBusy] = useState(false);
  const conversation = useRef<string | undefined>(undefined);

  const update = (change: (turn: Turn) => Turn) => setTurns((all) => [...all.slice(0, -1), change(all[all.length - 1]!)]);

  const ask = useCallback(async (question: string) => {
    setBusy(true);
    setTurns((all) => [...all, { question, answer: '', tools: [], citations: [], proposals: [], done: false }]);
    try {
      const response = await sessionFetch('/api/v1/ai/chat', {
        method: 'POST', credentials: 'same-origin',
        headers: { ...sessionHeaders(), 'content-type': 'application/json' },
        body: JSON.stringify({ message: question, ...(conversation.current ? { conversationId: conversation.current } : {}) }),
      });
      if (!response.ok || !response.body) {
        const problem = await response.json().catch(() => ({})) as { detail?: string };
        update((turn) => ({ ...turn, error: problem.detail ?? response.statusText, done: true }));
        return;
      }
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const { events, rest } = splitEvents(buffer + value);
        buffer = rest;
        for (const { event, data } of events) apply(event, data);
      }
      update((turn) => ({ ...turn, done: true }));
    } catch (error) {
      update((turn) => ({ ...turn, error: error instanceof Error ? error.message : String(error), done: true }));
    } finally {
      setBusy(false);
    }

    function apply(event: string, data: any) {
      switch (event) {
        case 'conversation':
          conversation.current = data.id;
          break;
        case 'text':
          update((turn) => ({ ...turn, answer: turn.answer + data.delta }));
          break;
        case 'tool-call':
          update((turn) => ({ ...turn, tools: [...turn.tools, data.name] }));
          break;
        case 'citation':
          update((turn) => ({ ...turn, citations: [...turn.citations, data] }));
          break;
        case 'proposal':
          update((turn) => ({ ...turn, proposals: [...turn.proposals, { ...data.proposal, status: 'pending' }] }));
          break;
        case 'error':
          update((turn) => ({ ...turn, error: data.detail }));
          break;
      }
    }
  }, []);

  const decide = useCallback(async (proposalId: string, decision: 'confirm' | 'cancel') => {
    const response = await sessionFetch(`/api/v1/ai/proposals/${proposalId}/${decision}`, { method: 'POST', credentials: 'same-origin', headers: sessionHeaders() });
    const body = await response.json().catch(() => ({})) as { status?: ProposalCard['status']; detail?: string };
    setTurns((all) => all.map((turn) => ({
      ...turn,
      proposals: turn.proposals.map((p) => (p.id !== proposalId ? p : response.ok ? { ...p, status: body.status ?? p.status } : { ...p, error: body.detail ?? response.statusText })),
    })));
  }, []);

  const reset = useCallback(() => {
    conversation.current = undefined;
    setTurns([]);
  }, []);

  return { turns, busy, ask, decide, reset };
}
