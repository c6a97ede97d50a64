// Travaux de fond et planifications du tenant : historique, lancement manuel, annulation, nouvelle exécution,
// planifications cron. Réservé aux administrateurs du tenant.
import type { FastifyInstance } from 'fastify';
import type { PlatformServices } from '../../core/services.js';
import type { ScheduleInput } from '../../services/jobs/job-admin.js';
import type { JobState } from '../../services/jobs/types.js';
import { requireAdmin } from '../auth.js';
import { type Doc, json, pageOf, problems } from '../openapi/path-helpers.js';
import { routeSchema, uuidString } from '../openapi/route-schema.js';

/** Services que ces routes utilisent. */
export type JobRouteDeps = Pick<PlatformServices, 'jobAdmin' | 'jobs'>;

const STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];
const tags = ['jobs'];

const nullable = (type: string, format?: string) => ({ type: [type, 'null'], ...(format ? { format } : {}) });
const JOB = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' }, tenantId: nullable('string', 'uuid'), name: { type: 'string' }, payload: { type: 'object' }, state: { enum: STATES },
    priority: { type: 'integer' }, runAt: { type: 'string', format: 'date-time' }, attempts: { type: 'integer' }, maxAttempts: { type: 'integer' },
    scheduleId: nullable('string', 'uuid'), startedAt: nullable('string', 'date-time'), finishedAt: nullable('string', 'date-time'),
    durationMs: nullable('integer'), result: {}, error: nullable('string'), createdBy: nullable('string', 'uuid'), createdAt: { type: 'string', format: 'date-time' },
  },
};
const SCHEDULE = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' }, key: { type: 'string' }, job: { type: 'string' }, cron: { type: 'string', description: 'Five fields: minute hour day month weekday' },
    timezone: { type: 'string' }, payload: { type: 'object' }, source: { type: 'string' }, active: { type: 'boolean' },
    nextRunAt: { type: 'string', format: 'date-time' }, lastRunAt: nullable('string', 'date-time'), lastJobId: nullable('string', 'uuid'),
    createdAt: { type: 'string', format: 'date-time' }, updatedAt: { type: 'string', format: 'date-time' },
  },
};
const one = (description: string, schema: Doc, status = 200) => ({ [status]: { description, ...json(schema) } });
const QUEUED = one('Queued', JOB, 201);

// identifiant : simple chaîne (un identifiant mal formé est inconnu : 404)
const idParams = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } as const;
/**
 * Corps validé par Fastify (longueurs, champs admis) et corps documenté : le second ajoute les types que le service des
 * travaux vérifie lui-même (messages par champ) ; un `default` n'est que documenté (ajv l'insérerait dans le corps).
 */
const bodies = (validated: { required: string[]; properties: Record<string, Doc> }, checkedByService: Record<string, Doc>) => ({
  body: { type: 'object', additionalProperties: false, ...validated },
  requestBody: {
    required: true,
    ...json({
      type: 'object', additionalProperties: false, ...(validated.required.length ? { required: validated.required } : {}),
      properties: Object.fromEntries(Object.entries(validated.properties).map(([name, property]) => [name, { ...property, ...checkedByService[name] }])),
    }),
  },
});
const SCHEDULE_FIELDS = {
  key: { type: 'string', maxLength: 100 }, job: { type: 'string', maxLength: 100, description: 'a manual job type' },
  cron: { type: 'string', maxLength: 100, description: 'Five fields: minute hour day month weekday' },
  timezone: { type: 'string', maxLength: 64, description: 'IANA time zone' }, payload: {}, active: {},
};
const scheduleBodies = (required: string[], defaults: Record<string, Doc>) =>
  bodies({ required, properties: SCHEDULE_FIELDS }, { payload: { type: 'object' }, active: { type: 'boolean' }, ...defaults });

const typesSchema = routeSchema({
  operationId: 'listJobTypes', tags, summary: 'Job types known to the platform (manual: administrators may start or schedule them)',
  responses: one('Types', { type: 'object', properties: { data: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, label: {}, manual: { type: 'boolean' }, maxAttempts: { type: 'integer' }, timeoutMs: { type: 'integer' } } } } } }),
});
const listSchema = routeSchema({
  operationId: 'listJobs', tags, summary: 'Job history of the tenant, latest first',
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      state: { enum: STATES },
      name: { type: 'string', maxLength: 100 },
      scheduleId: uuidString,
      limit: { type: 'string', pattern: '^[0-9]{1,3}$', description: '1 to 200, 50 by default' },
      cursor: { ...uuidString, description: 'meta.nextCursor of the previous page' },
    },
  },
  responses: { ...one('Jobs', pageOf(JOB)), ...problems(400) },
});
const startSchema = routeSchema({
  operationId: 'startJob', tags, summary: 'Start a job of a manual type now or at runAt',
  ...bodies(
    { required: ['name'], properties: { name: { type: 'string', maxLength: 100, description: 'a manual job type' }, payload: {}, runAt: { type: 'string', maxLength: 40, description: 'now by default' } } },
    { payload: { type: 'object' }, runAt: { format: 'date-time' } },
  ),
  responses: { ...QUEUED, ...problems(400) },
});
const getSchema = routeSchema({ operationId: 'getJob', tags, summary: 'One job', params: idParams, responses: { ...one('Job', JOB), ...problems(404) } });
const cancelSchema = routeSchema({
  operationId: 'cancelJob', tags, summary: 'Cancel a queued job', params: idParams, responses: { 204: { description: 'Cancelled' }, ...problems(404, 409) },
});
const retrySchema = routeSchema({
  operationId: 'retryJob', tags, summary: 'Run a failed or cancelled job again (a new job)', params: idParams, responses: { ...QUEUED, ...problems(404, 409) },
});
const schedulesSchema = routeSchema({
  operationId: 'listJobSchedules', tags, summary: 'Cron schedules of the tenant',
  responses: one('Schedules', { type: 'object', properties: { data: { type: 'array', items: SCHEDULE } } }),
});
const createScheduleSchema = routeSchema({
  operationId: 'createJobSchedule', tags, summary: 'Schedule a manual job type', ...scheduleBodies(['key', 'job', 'cron'], { timezone: { default: 'UTC' }, active: { type: 'boolean', default: true } }),
  responses: { ...one('Created', SCHEDULE, 201), ...problems(400, 409) },
});
const getScheduleSchema = routeSchema({
  operationId: 'getJobSchedule', tags, summary: 'One schedule', params: idParams, responses: { ...one('Schedule', SCHEDULE), ...problems(404) },
});
const updateScheduleSchema = routeSchema({
  operationId: 'updateJobSchedule', tags, summary: 'Change a schedule (cron, time zone, payload, active)', params: idParams, ...scheduleBodies([], {}),
  responses: { ...one('Schedule', SCHEDULE), ...problems(400, 404, 409) },
});
const deleteScheduleSchema = routeSchema({
  operationId: 'deleteJobSchedule', tags, summary: 'Delete a schedule', params: idParams, responses: { 204: { description: 'Deleted' }, ...problems(404) },
});
const runScheduleSchema = routeSchema({
  operationId: 'runJobSchedule', tags, summary: 'Run a schedule now', params: idParams, responses: { ...QUEUED, ...problems(404) },
});

interface ListQuery { state?: JobState; name?: string; scheduleId?: string; limit?: string; cursor?: string }

export function registerJobRoutes(app: FastifyInstance, deps: JobRouteDeps): void {
  const admin = (request: Parameters<typeof requireAdmin>[0]) => requireAdmin(request, 'Only administrators manage background jobs');
  const jobs = deps.jobAdmin;

  app.get('/api/v1/jobs/types', { schema: typesSchema }, async (request) => {
    admin(request);
    return { data: deps.jobs.types().map((d) => ({ name: d.name, label: d.label ?? null, manual: Boolean(d.manual), maxAttempts: d.maxAttempts ?? 3, timeoutMs: d.timeoutMs ?? 60_000 })) };
  });
  app.get<{ Querystring: ListQuery }>('/api/v1/jobs', { schema: listSchema }, async (request) => {
    const { limit, ...filter } = request.query;
    return jobs.list(admin(request), { ...filter, limit: Math.min(Math.max(Number(limit ?? 50), 1), 200) });
  });
  app.post<{ Body: { name: string; payload?: unknown; runAt?: string } }>('/api/v1/jobs', { schema: startSchema }, async (request, reply) =>
    reply.code(201).send(await jobs.start(admin(request), request.body.name, request.body.payload, request.body.runAt)));
  app.get<{ Params: { id: string } }>('/api/v1/jobs/:id', { schema: getSchema }, async (request) => jobs.get(admin(request), request.params.id));
  app.post<{ Params: { id: string } }>('/api/v1/jobs/:id/cancel', { schema: cancelSchema }, async (request, reply) => {
    await jobs.cancel(admin(request), request.params.id);
    return reply.code(204).send();
  });
  app.post<{ Params: { id: string } }>('/api/v1/jobs/:id/retry', { schema: retrySchema }, async (request, reply) =>
    reply.code(201).send(await jobs.retry(admin(request), request.params.id)));

  app.get('/api/v1/job-schedules', { schema: schedulesSchema }, async (request) => jobs.schedules(admin(request)));
  app.post<{ Body: ScheduleInput }>('/api/v1/job-schedules', { schema: createScheduleSchema }, async (request, reply) =>
    reply.code(201).send(await jobs.createSchedule(admin(request), request.body)));
  app.get<{ Params: { id: string } }>('/api/v1/job-schedules/:id', { schema: getScheduleSchema }, async (request) => jobs.schedule(admin(request), request.params.id));
  app.patch<{ Params: { id: string }; Body: ScheduleInput }>('/api/v1/job-schedules/:id', { schema: updateScheduleSchema }, async (request) =>
    jobs.updateSchedule(admin(request), request.params.id, request.body));
  app.delete<{ Params: { id: string } }>('/api/v1/job-schedules/:id', { schema: deleteScheduleSchema }, async (request, reply) => {
    await jobs.deleteSchedule(admin(request), request.params.id);
    return reply.code(204).send();
  });
  app.post<{ Params: { id: string } }>('/api/v1/job-schedules/:id/run', { schema: runScheduleSchema }, async (request, reply) =>
    reply.code(201).send(await jobs.runSchedule(admin(request), request.params.id)));
}
