// Travaux de fond et planifications du tenant : historique, lancement manuel, annulation, nouvelle exécution,
// planifications cron. Réservé aux administrateurs du tenant.
import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../core/platform.js';
import type { ScheduleInput } from '../../services/jobs/job-admin.js';
import type { JobState } from '../../services/jobs/types.js';
import { requireAdmin } from '../auth.js';

const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];
const listSchema = {
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      state: { enum: STATES },
      name: { type: 'string', maxLength: 100 },
      scheduleId: { type: 'string', pattern: UUID },
      limit: { type: 'string', pattern: '^[0-9]{1,3}$' },
      cursor: { type: 'string', pattern: UUID },
    },
  },
} as const;
const idParams = { params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } } as const;
const startBody = {
  body: {
    type: 'object', additionalProperties: false, required: ['name'],
    properties: { name: { type: 'string', maxLength: 100 }, payload: {}, runAt: { type: 'string', maxLength: 40 } },
  },
} as const;
const scheduleBody = (required: string[]) => ({
  body: {
    type: 'object', additionalProperties: false, required,
    properties: { key: { type: 'string', maxLength: 100 }, job: { type: 'string', maxLength: 100 }, cron: { type: 'string', maxLength: 100 }, timezone: { type: 'string', maxLength: 64 }, payload: {}, active: {} },
  },
});

interface ListQuery { state?: JobState; name?: string; scheduleId?: string; limit?: string; cursor?: string }

export function registerJobRoutes(app: FastifyInstance, platform: Platform): void {
  const admin = (request: Parameters<typeof requireAdmin>[0]) => requireAdmin(request, 'Only administrators manage background jobs');
  const jobs = platform.jobAdmin;

  app.get('/api/v1/jobs/types', async (request) => {
    admin(request);
    return { data: platform.jobs.types().map((d) => ({ name: d.name, label: d.label ?? null, manual: Boolean(d.manual), maxAttempts: d.maxAttempts ?? 3, timeoutMs: d.timeoutMs ?? 60_000 })) };
  });
  app.get<{ Querystring: ListQuery }>('/api/v1/jobs', { schema: listSchema }, async (request) => {
    const { limit, ...filter } = request.query;
    return jobs.list(admin(request), { ...filter, limit: Math.min(Math.max(Number(limit ?? 50), 1), 200) });
  });
  app.post<{ Body: { name: string; payload?: unknown; runAt?: string } }>('/api/v1/jobs', { schema: startBody }, async (request, reply) =>
    reply.code(201).send(await jobs.start(admin(request), request.body.name, request.body.payload, request.body.runAt)));
  app.get<{ Params: { id: string } }>('/api/v1/jobs/:id', { schema: idParams }, async (request) => jobs.get(admin(request), request.params.id));
  app.post<{ Params: { id: string } }>('/api/v1/jobs/:id/cancel', { schema: idParams }, async (request, reply) => {
    await jobs.cancel(admin(request), request.params.id);
    return reply.code(204).send();
  });
  app.post<{ Params: { id: string } }>('/api/v1/jobs/:id/retry', { schema: idParams }, async (request, reply) =>
    reply.code(201).send(await jobs.retry(admin(request), request.params.id)));

  app.get('/api/v1/job-schedules', async (request) => jobs.schedules(admin(request)));
  app.post<{ Body: ScheduleInput }>('/api/v1/job-schedules', { schema: scheduleBody(['key', 'job', 'cron']) }, async (request, reply) =>
    reply.code(201).send(await jobs.createSchedule(admin(request), request.body)));
  app.get<{ Params: { id: string } }>('/api/v1/job-schedules/:id', { schema: idParams }, async (request) => jobs.schedule(admin(request), request.params.id));
  app.patch<{ Params: { id: string }; Body: ScheduleInput }>('/api/v1/job-schedules/:id', { schema: { ...idParams, ...scheduleBody([]) } }, async (request) =>
    jobs.updateSchedule(admin(request), request.params.id, request.body));
  app.delete<{ Params: { id: string } }>('/api/v1/job-schedules/:id', { schema: idParams }, async (request, reply) => {
    await jobs.deleteSchedule(admin(request), request.params.id);
    return reply.code(204).send();
  });
  app.post<{ Params: { id: string } }>('/api/v1/job-schedules/:id/run', { schema: idParams }, async (request, reply) =>
    reply.code(201).send(await jobs.runSchedule(admin(request), request.params.id)));
}
