// Cycle de vie : écoutes et services arrêtés dans l'ordre inverse de leur inscription, travailleurs arrêtés avant
// tout le reste (même démarrés à la main, ou jamais démarrés), démarrage des travailleurs seulement sur demande.
import { describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/database.js';
import { Lifecycle } from '../../../src/core/lifecycle.js';

function recorder() {
  const events: string[] = [];
  const database = {
    listen: async (channel: string) => {
      events.push(`listen ${channel}`);
      return async () => void events.push(`unlisten ${channel}`);
    },
  } as unknown as Database;
  const worker = (name: string) => ({ start: () => void events.push(`start ${name}`), stop: async () => void events.push(`stop ${name}`) });
  return { events, lifecycle: new Lifecycle(database), worker };
}

describe('Lifecycle', () => {
  it('starts workers only when asked, in registration order', async () => {
    const { events, lifecycle, worker } = recorder();
    lifecycle.worker(worker('outbox'));
    lifecycle.worker(worker('jobs'));
    expect(events).toEqual([]);
    lifecycle.startWorkers();
    expect(events).toEqual(['start outbox', 'start jobs']);
  });

  it('stops every worker first, newest first, then the rest in reverse order, once', async () => {
    const { events, lifecycle, worker } = recorder();
    await lifecycle.listen('keys', () => undefined);
    await lifecycle.started({ start: async () => void events.push('start feeds'), stop: async () => void events.push('stop feeds') });
    lifecycle.worker(worker('outbox'));
    lifecycle.onClose(async () => void events.push('close connections'));
    lifecycle.worker(worker('imports'));
    await lifecycle.listen('jobs', () => undefined);
    events.length = 0;
    // travailleurs jamais démarrés (plateforme ouverte sans distribution) : arrêtés quand même, sans dommage
    await lifecycle.close();
    expect(events).toEqual(['stop imports', 'stop outbox', 'unlisten jobs', 'close connections', 'stop feeds', 'unlisten keys']);
    events.length = 0;
    await lifecycle.close();
    expect(events).toEqual([]);
  });
});
