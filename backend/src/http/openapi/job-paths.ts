// Chemins OpenAPI des travaux de fond et des planifications (administrateurs du tenant).
import { json, pathParameter, problems, type Doc } from './path-helpers.js';

const STATE = { enum: ['queued', 'running', 'succeeded', 'failed', 'cancelled'] };
const nullable = (type: string, format?: string) => ({ type: [type, 'null'], ...(format ? { format } : {}) });
const JOB = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' }, tenantId: nullable('string', 'uuid'), name: { type: 'string' }, payload: { type: 'object' }, state: STATE,
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
const SCHEDULE_INPUT = {
  type: 'object',
  properties: { key: { type: 'string' }, job: { type: 'string' }, cron: { type: 'string' }, timezone: { type: 'string', default: 'UTC' }, payload: { type: 'object' }, active: { type: 'boolean' } },
};
const tags = ['jobs'];
const one = (description: string, schema: Doc, status = 200) => ({ [status]: { description, ...json(schema) } });

export const jobPaths: Doc = {
  '/api/v1/jobs/types': {
    get: {
      tags, summary: 'Job types known to the platform (manual: administrators may start or schedule them)',
      responses: { ...one('Types', { type: 'object', properties: { data: { type: 'array', items: { type: 'object' } } } }), ...problems(401, 403) },
    },
  },
  '/api/v1/jobs': {
    get: {
      tags, summary: 'Job history of the tenant, latest first',
      parameters: [
        { name: 'state', in: 'query', schema: STATE }, { name: 'name', in: 'query', schema: { type: 'string' } },
        { name: 'scheduleId', in: 'query', schema: { type: 'string', format: 'uuid' } },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
        { name: 'cursor', in: 'query', schema: { type: 'string', format: 'uuid' } },
      ],
      responses: { ...one('Jobs', { type: 'object', properties: { data: { type: 'array', items: JOB }, meta: { type: 'object', properties: { nextCursor: nullable('string') } } } }), ...problems(400, 401, 403) },
    },
    post: {
      tags, summary: 'Start a job of a manual type now or at runAt',
      requestBody: { required: true, ...json({ type: 'object', required: ['name'], properties: { name: { type: 'string' }, payload: { type: 'object' }, runAt: { type: 'string', format: 'date-time' } } }) },
      responses: { ...one('Queued', JOB, 201), ...problems(400, 401, 403) },
    },
  },
  '/api/v1/jobs/{id}': { parameters: [pathParameter('id')], get: { tags, summary: 'One job', responses: { ...one('Job', JOB), ...problems(401, 403, 404) } } },
  '/api/v1/jobs/{id}/cancel': { parameters: [pathParameter('id')], post: { tags, summary: 'Cancel a queued job', responses: { 204: { description: 'Cancelled' }, ...problems(401, 403, 404, 409) } } },
  '/api/v1/jobs/{id}/retry': { parameters: [pathParameter('id')], post: { tags, summary: 'Run a failed or cancelled job again (a new job)', responses: { ...one('Queued', JOB, 201), ...problems(401, 403, 404, 409) } } },
  '/api/v1/job-schedules': {
    get: { tags, summary: 'Cron schedules of the tenant', responses: { ...one('Schedules', { type: 'object', properties: { data: { type: 'array', items: SCHEDULE } } }), ...problems(401, 403) } },
    post: { tags, summary: 'Schedule a manual job type', requestBody: { required: true, ...json({ ...SCHEDULE_INPUT, required: ['key', 'job', 'cron'] }) }, responses: { ...one('Created', SCHEDULE, 201), ...problems(400, 401, 403, 409) } },
  },
  '/api/v1/job-schedules/{id}': {
    parameters: [pathParameter('id')],
    get: { tags, summary: 'One schedule', responses: { ...one('Schedule', SCHEDULE), ...problems(401, 403, 404) } },
    patch: { tags, summary: 'Change a schedule (cron, time zone, payload, active)', requestBody: { required: true, ...json(SCHEDULE_INPUT) }, responses: { ...one('Schedule', SCHEDULE), ...problems(400, 401, 403, 404, 409) } },
    delete: { tags, summary: 'Delete a schedule', responses: { 204: { description: 'Deleted' }, ...problems(401, 403, 404) } },
  },
  '/api/v1/job-schedules/{id}/run': { parameters: [pathParameter('id')], post: { tags, summary: 'Run a schedule now', responses: { ...one('Queued', JOB, 201), ...problems(401, 403, 404) } } },
};
