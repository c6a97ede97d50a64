// CRM installé sur une vraie plateforme : pipeline semé, règles d'étapes, conversion en opportunité, dernier contact
// client, extension des clients qui disparaît avec le module.
import { fileURLToPath } from 'node:url';
import { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ApiError } from '@opsflux/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moduleHarness, type ModuleHarness } from '@opsflux/backend/testing/module-harness.ts';

let harness: ModuleHarness;
const failure = (promise: Promise<unknown>) => promise.then(() => { throw new Error('expected a refusal'); }, (e: ApiError) => e);

beforeAll(async () => {
  harness = await moduleHarness(fileURLToPath(new URL('../..', import.meta.url)));
  await harness.client.modules.install('crm');
}, 120_000);
afterAll(() => harness?.close());

describe('crm', () => {
  it('seeds the pipeline and applies stage rules to leads', async () => {
    const { records } = harness.client;
    const stages = (await records.list('crm_stage', { sort: 'position' })).data;
    expect(stages.map((s) => [s.name, s.probability, s.outcome])).toEqual([
      ['New', 10, 'open'], ['Qualified', 30, 'open'], ['Proposal', 60, 'open'], ['Negotiation', 80, 'open'], ['Won', 100, 'won'], ['Lost', 0, 'lost'],
    ]);
    const lead = await records.create('crm_lead', { title: 'Forklift fleet', contactName: 'Ana Silva', email: 'ana@example.com' });
    expect(lead).toMatchObject({ stage: stages[0]!.id, probability: 10, status: 'open', source: 'website', kind: 'lead' });
    const won = await records.update('crm_lead', lead.id, { stage: stages[4]!.id });
    expect(won).toMatchObject({ probability: 100, status: 'won' });
    const refused = await failure(records.create('crm_lead', { title: 'Ghost', stage: lead.id }));
    expect(refused.problem).toMatchObject({ status: 422, code: 'unknown_stage', errors: [{ field: 'stage', message: 'This pipeline stage does not exist.' }] });
  });

  it('converts a lead into an opportunity with a new customer and shows the pipeline', async () => {
    const { records } = harness.client;
    const lead = await records.create('crm_lead', { title: 'Racking', contactName: 'Bolt & Co', expectedRevenue: { amount: '12000.00', currency: 'EUR' } });
    const converted = await harness.client.module('crm').post<{ kind: string; customer: string }>(`/leads/${lead.id}/convert`, {});
    expect(converted.kind).toBe('opportunity');
    expect((await records.get('customer', converted.customer)).name).toBe('Bolt & Co');
    const again = await failure(harness.client.module('crm').post(`/leads/${lead.id}/convert`, {}));
    expect(again.problem.code).toBe('already_opportunity');
    const pipeline = await harness.client.module('crm').get<{ stages: { name: string; count: number; expectedRevenue: string }[] }>('/pipeline');
    expect(pipeline.stages.find((s) => s.name === 'New')).toMatchObject({ count: 1, expectedRevenue: '12000.00' });
    // la même vue est un outil de l'assistant (ici par le serveur MCP, avec un jeton d'accès personnel)
    const pat = await fetch(`${harness.baseUrl}/api/v1/auth/tokens`, {
      method: 'POST', headers: { authorization: `Bearer ${harness.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'agent' }),
    }).then((r) => r.json() as Promise<{ token: string }>);
    const mcp = new McpClient({ name: 'crm-test', version: '1.0.0' });
    await mcp.connect(new StreamableHTTPClientTransport(new URL(`${harness.baseUrl}/api/v1/ai/mcp`), { requestInit: { headers: { authorization: `Bearer ${pat.token}` } } }));
    try {
      const result = await mcp.callTool({ name: 'crm_pipeline', arguments: {} });
      expect(JSON.parse((result.content as Array<{ text: string }>)[0]!.text)).toEqual(pipeline);
    } finally {
      await mcp.close();
    }
  });

  it('offers the conversion as an assistant action that runs only when the user confirms it', async () => {
    const { records } = harness.client;
    const lead = await records.create('crm_lead', { title: 'Conveyor belts', contactName: 'Kessler GmbH' });
    const api = (method: string, path: string, body?: unknown) => fetch(`${harness.baseUrl}${path}`, {
      method, headers: { authorization: `Bearer ${harness.token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}),
    }).then(async (r) => ({ status: r.status, body: await r.json() as Record<string, any> }));
    const pat = (await api('POST', '/api/v1/auth/tokens', { name: 'agent-write' })).body.token as string;
    const mcp = new McpClient({ name: 'crm-test', version: '1.0.0' });
    await mcp.connect(new StreamableHTTPClientTransport(new URL(`${harness.baseUrl}/api/v1/ai/mcp`), { requestInit: { headers: { authorization: `Bearer ${pat}` } } }));
    try {
      const { tools } = await mcp.listTools();
      expect(tools.find((t) => t.name === 'crm_convert_lead')?.description).toContain('confirms');
      const result = await mcp.callTool({ name: 'crm_convert_lead', arguments: { lead: lead.id } });
      const { proposalId, status } = JSON.parse((result.content as Array<{ text: string }>)[0]!.text);
      expect(status).toBe('awaiting_user_confirmation');
      // rien n'est fait avant la confirmation
      expect((await records.get('crm_lead', lead.id)).kind).toBe('lead');
      const proposal = (await api('GET', '/api/v1/ai/proposals')).body.data.find((p: { id: string }) => p.id === proposalId);
      expect(proposal).toMatchObject({ action: 'run', entity: 'crm_convert_lead', data: { lead: lead.id }, status: 'pending' });
      const confirmed = await api('POST', `/api/v1/ai/proposals/${proposalId}/confirm`);
      expect(confirmed.status).toBe(200);
      expect(confirmed.body).toMatchObject({ status: 'applied', result: { output: { id: lead.id, kind: 'opportunity' } } });
      const converted = await records.get('crm_lead', lead.id);
      expect(converted.kind).toBe('opportunity');
      expect((await records.get('customer', converted.customer as string)).name).toBe('Kessler GmbH');
      expect((await api('POST', `/api/v1/ai/proposals/${proposalId}/confirm`)).status).toBe(409);
      // une action proposée pour une piste déjà convertie échoue à la confirmation avec l'erreur du module, sans rien écrire
      const again = JSON.parse(((await mcp.callTool({ name: 'crm_convert_lead', arguments: { lead: lead.id } })).content as Array<{ text: string }>)[0]!.text);
      const refused = await api('POST', `/api/v1/ai/proposals/${again.proposalId}/confirm`);
      expect(refused).toMatchObject({ status: 409, body: { code: 'already_opportunity' } });
      expect((await api('GET', '/api/v1/ai/proposals')).body.data.find((p: { id: string }) => p.id === again.proposalId).status).toBe('pending');
      // arguments hors du schéma : refusés avant toute proposition
      const invalid = await mcp.callTool({ name: 'crm_convert_lead', arguments: { lead: 42 } });
      expect(invalid.isError).toBe(true);
    } finally {
      await mcp.close();
    }
  });

  it('dates the last contact of the customer when an activity is done, and its extension leaves with the module', async () => {
    const { records, modules } = harness.client;
    const customer = await records.create('customer', { name: 'Northwind', crmSegment: 'enterprise' });
    const lead = await records.create('crm_lead', { title: 'Northwind renewal', customer: customer.id });
    const call = await records.create('crm_activity', { lead: lead.id, subject: 'Kick-off call', type: 'call' });
    expect((await records.get('customer', customer.id)).crmLastContactAt).toBeNull();
    await records.update('crm_activity', call.id, { done: true });
    expect((await records.get('customer', customer.id)).crmLastContactAt).toEqual(expect.any(String));
    await modules.deactivate('crm');
    expect((await failure(records.list('crm_lead'))).status).toBe(404);
    expect((await records.get('customer', customer.id)).crmSegment).toBeUndefined();
    await modules.activate('crm');
    expect((await records.get('customer', customer.id)).crmSegment).toBe('enterprise');
  });
});
