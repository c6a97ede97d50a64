// Graphe des enregistrements sur des données générées : client → adresses (référence vers l'entité abstraite
// `party`), commandes → lignes → produits, liens plusieurs-à-plusieurs. Voisinage et chemins comparés à un parcours
// en largeur fait par le test sur les données qu'il a écrites (chiffre de qualité) ; un utilisateur restreint par une
// règle d'enregistrements ou une règle de champ ne voit jamais les nœuds ni les liens masqués ; l'identifiant d'un
// autre tenant est un 404 ; bornes de profondeur et de taille ; outils par MCP.
import { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { defineEntity } from '@opsflux/sdk';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberKit } from '../../../support/members.js';
import { multipart } from '../../../support/multipart.js';
import { client, newTenant, qs, settleBackground, startServer, type Client, type TestServer, type TestTenant } from '../../../support/platform.js';

const product = defineEntity({ name: 'gr_product', label: { en: 'Product', fr: 'Produit' }, display: 'name', fields: { name: { type: 'string', required: true } } });
const order = defineEntity({
  name: 'gr_order', label: { en: 'Order', fr: 'Commande' }, display: 'number',
  fields: {
    number: { type: 'string', required: true },
    note: { type: 'text', label: { en: 'Note', fr: 'Note' } },
    customer: { type: 'ref', options: { to: 'customer' }, label: { en: 'Customer', fr: 'Client' } },
    region: { type: 'enum', options: { values: ['north', 'south'] } },
    featured: { type: 'refs', options: { to: 'gr_product' }, label: { en: 'Featured products', fr: 'Produits mis en avant' } },
    lines: { type: 'children', options: { to: 'gr_line', via: 'order' } },
  },
});
const line = defineEntity({
  name: 'gr_line', label: { en: 'Order line', fr: 'Ligne' }, display: 'label',
  fields: {
    label: { type: 'string', required: true },
    order: { type: 'ref', required: true, options: { to: 'gr_order' }, label: { en: 'Order', fr: 'Commande' } },
    product: { type: 'ref', options: { to: 'gr_product' }, label: { en: 'Product', fr: 'Produit' } },
  },
});

let server: TestServer;
let tenant: TestTenant;
let admin: Client;
let mcpUrl: URL;
const ids: Record<string, string> = {};
/** Liens écrits par le test (porteur → cible) : la vérité pour les chemins. */
const truth: Array<[string, string]> = [];

async function create(entity: string, data: Record<string, unknown>, api = admin): Promise<string> {
  const res = await api.post(`/api/v1/data/${entity}`, data);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

/** Longueur du plus court chemin dans les liens écrits (parcours en largeur indépendant du service). */
function bfsLength(from: string, to: string): number | null {
  const adjacent = new Map<string, string[]>();
  for (const [a, b] of truth) {
    adjacent.set(a, [...(adjacent.get(a) ?? []), b]);
    adjacent.set(b, [...(adjacent.get(b) ?? []), a]);
  }
  const seen = new Map([[from, 0]]);
  const queue = [from];
  while (queue.length) {
    const node = queue.shift()!;
    if (node === to) return seen.get(node)!;
    for (const next of adjacent.get(node) ?? []) if (!seen.has(next)) { seen.set(next, seen.get(node)! + 1); queue.push(next); }
  }
  return null;
}

beforeAll(async () => {
  // répartiteur de l'outbox en marche : l'analyse des notes (mentions) suit l'écriture
  server = await startServer({ entities: [product, order, line], dispatch: true });
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  mcpUrl = new URL(`http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}/api/v1/ai/mcp`);
  tenant = await newTenant(server);
  admin = client(server, tenant.token);
  const france = (await admin.get(`/api/v1/data/country?${qs({ filter: { code: 'FR' } })}`)).json().data[0].id as string;

  // données générées : 4 clients, une adresse chacun, 2 commandes par client de deux lignes, 5 produits
  for (let p = 0; p < 5; p++) ids[`product${p}`] = await create('gr_product', { name: `Product ${p}` });
  for (let c = 0; c < 4; c++) {
    const customer = ids[`customer${c}`] = await create('customer', { name: `Customer ${c}` });
    const address = ids[`address${c}`] = await create('address', { party: customer, line1: `${c} rue du Test`, city: 'Lyon', country: france });
    truth.push([address, customer], [address, france]);
    for (let o = 0; o < 2; o++) {
      const featured = [ids[`product${(c + o) % 5}`]!];
      const number = `SO-${c}${o}`;
      const id = ids[number] = await create('gr_order', { number, customer, region: o === 0 ? 'north' : 'south', featured });
      truth.push([id, customer], [id, featured[0]!]);
      for (let l = 0; l < 2; l++) {
        const productId = ids[`product${(c * 2 + o + l) % 5}`]!;
        const lineId = ids[`${number}/${l}`] = await create('gr_line', { label: `${number}/${l}`, order: id, product: productId });
        truth.push([lineId, id], [lineId, productId]);
      }
    }
  }
});
afterAll(async () => {
  await server?.close();
});

const neighbours = (api: Client, entity: string, id: string, depth?: number) =>
  api.get(`/api/v1/ai/graph/neighbours?${qs({ entity, id, ...(depth ? { depth: String(depth) } : {}) })}`);
const path = (api: Client, from: string, to: string, maxDepth?: number) =>
  api.get(`/api/v1/ai/graph/path?${qs({ from, to, ...(maxDepth ? { maxDepth: String(maxDepth) } : {}) })}`);

describe('knowledge graph', () => {
  it('gives a record’s neighbours both ways: references it holds and records referring to it, through an abstract target', async () => {
    const res = await neighbours(admin, 'customer', ids.customer0!);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    const labels = body.nodes.map((n: { entity: string; label: string }) => `${n.entity}:${n.label}`).sort();
    expect(labels).toEqual(['address:0 rue du Test', 'customer:Customer 0', 'gr_order:SO-00', 'gr_order:SO-01']);
    expect(body.truncated).toBe(false);
    const addressEdge = body.edges.find((e: { field: string }) => e.field === 'party');
    expect(addressEdge).toMatchObject({ from: ids.address0, to: ids.customer0, label: 'Party', direction: 'in' });
    expect(body.edges.filter((e: { field: string }) => e.field === 'customer')).toHaveLength(2);
    for (const node of body.nodes) {
      expect(node.x).toBeGreaterThanOrEqual(0);
      expect(node.x).toBeLessThanOrEqual(1);
      expect(node).toMatchObject({ eid: expect.any(String), entityLabel: expect.any(String) });
    }
    // deux niveaux : les lignes (par l'envers de `order`) et les produits (références simples et multiples)
    const deeperRes = await neighbours(admin, 'gr_order', ids['SO-00']!, 2);
    expect(deeperRes.statusCode, deeperRes.body).toBe(200);
    const deeper = deeperRes.json();
    const entities = deeper.nodes.map((n: { entity: string }) => n.entity);
    expect(entities.filter((e: string) => e === 'gr_line').length).toBeGreaterThanOrEqual(2);
    expect(deeper.nodes.filter((n: { entity: string; depth: number }) => n.entity === 'gr_line' && n.depth === 1).map((n: { label: string }) => n.label).sort()).toEqual(['SO-00/0', 'SO-00/1']);
    expect(deeper.nodes.find((n: { id: string }) => n.id === ids.product0)).toMatchObject({ depth: 1, label: 'Product 0' });
    expect(deeper.edges.find((e: { field: string; from: string }) => e.field === 'featured' && e.from === ids['SO-00'])).toMatchObject({ to: ids.product0, direction: 'out' });
    expect(deeper.nodes.find((n: { id: string }) => n.id === ids.address0)).toMatchObject({ depth: 2 });
  });

  it('finds shortest paths that agree with a breadth-first search over the generated links', async () => {
    const keys = Object.keys(ids);
    const entityOf = (key: string) => (key.startsWith('customer') ? 'customer' : key.startsWith('address') ? 'address' : key.startsWith('product') ? 'gr_product' : key.includes('/') ? 'gr_line' : 'gr_order');
    let agree = 0;
    let pairs = 0;
    for (let i = 0; i < keys.length; i += 3) {
      for (let j = keys.length - 1; j > i; j -= 4) {
        const [a, b] = [keys[i]!, keys[j]!];
        const expected = bfsLength(ids[a]!, ids[b]!);
        const res = await path(admin, `${entityOf(a)}:${ids[a]}`, `${entityOf(b)}:${ids[b]}`, 4);
        const got = res.statusCode === 200 ? res.json().length : null;
        pairs++;
        if (got === (expected !== null && expected <= 4 ? expected : null)) agree++;
        if (res.statusCode === 200) {
          const body = res.json();
          expect(body.nodes[0].id).toBe(ids[a]);
          expect(body.nodes.at(-1).id).toBe(ids[b]);
          expect(body.edges).toHaveLength(body.length);
        }
      }
    }
    const rate = agree / pairs;
    console.log(`[quality] knowledge graph shortest-path length agreement ${rate.toFixed(2)} (${pairs} pairs)`);
    expect(pairs).toBeGreaterThanOrEqual(20);
    expect(rate).toBe(1);

    // deux clients : par leurs adresses et le pays, ou par leurs commandes et un produit, 4 liens ; en 3 au plus, rien
    expect((await path(admin, `customer:${ids.customer0}`, `customer:${ids.customer3}`)).json().length).toBe(4);
    const none = await admin.get(`/api/v1/ai/graph/path?${qs({ from: `customer:${ids.customer0}`, to: `customer:${ids.customer3}`, maxDepth: '3' })}`, { 'accept-language': 'fr' });
    expect(none.statusCode, none.body).toBe(404);
    expect(none.json()).toMatchObject({ code: 'no_path', detail: expect.stringContaining('3 liens') });
    expect((await path(admin, 'customer-nope', `address:${ids.address0}`)).json().errors).toEqual([expect.objectContaining({ field: 'from', code: 'pattern' })]);
  });

  it('never shows records hidden by a record rule, nor links through a field hidden by a field rule', async () => {
    const kit = memberKit(server, tenant, admin);
    const reading = ['customer:read', 'address:read', 'gr_order:read', 'gr_line:read', 'gr_product:read'];
    const northRole = await kit.role('north orders', reading);
    expect((await admin.post('/api/v1/data/record_rule', { role: northRole, entity: 'gr_order', filter: { region: 'north' } })).statusCode).toBe(201);
    const north = await kit.member('north-reader', [northRole]);
    const seen = (await neighbours(north.api, 'customer', ids.customer0!)).json();
    expect(seen.nodes.map((n: { label: string }) => n.label).sort()).toEqual(['0 rue du Test', 'Customer 0', 'SO-00']);
    expect(JSON.stringify(seen)).not.toContain(ids['SO-01']);
    // la commande masquée n'est ni un voisin, ni un maillon de chemin, ni une fiche de départ
    const line = (await neighbours(north.api, 'gr_line', ids['SO-01/0']!)).json();
    expect(line.nodes.map((n: { entity: string }) => n.entity).sort()).toEqual(['gr_line', 'gr_product']);
    expect((await neighbours(north.api, 'gr_order', ids['SO-01']!)).statusCode).toBe(404);
    expect((await path(north.api, `gr_line:${ids['SO-01/0']}`, `customer:${ids.customer0}`, 2)).statusCode).toBe(404);

    const noCustomerRole = await kit.role('orders without customer', reading);
    expect((await admin.post('/api/v1/data/field_rule', { role: noCustomerRole, entity: 'gr_order', field: 'customer', access: 'hidden' })).statusCode).toBe(201);
    const blind = await kit.member('blind-reader', [noCustomerRole]);
    const blindSeen = (await neighbours(blind.api, 'customer', ids.customer0!)).json();
    expect(blindSeen.nodes.map((n: { entity: string }) => n.entity).sort()).toEqual(['address', 'customer']);
    const fromOrder = (await neighbours(blind.api, 'gr_order', ids['SO-00']!)).json();
    expect(fromOrder.edges.some((e: { field: string }) => e.field === 'customer')).toBe(false);
    expect(fromOrder.nodes.some((n: { entity: string }) => n.entity === 'customer')).toBe(false);
  });

  it('links records mentioned in an analysed note and records sharing an attached document, as the reader may see them', async () => {
    expect((await admin.put('/api/v1/settings/ai.local.nlp.fields', { value: ['gr_order.note'], level: 'tenant' })).statusCode).toBe(200);
    const { eid } = (await admin.get(`/api/v1/data/customer/${ids.customer3}`)).json();
    const noted = await create('gr_order', { number: 'SO-90', note: `Livraison à confirmer avec le client ${eid} avant vendredi.` });
    await settleBackground(server);
    const fromNote = (await neighbours(admin, 'gr_order', noted)).json();
    expect(fromNote.edges).toContainEqual(expect.objectContaining({ from: noted, to: ids.customer3, field: 'note', label: 'Mentions (Note)', direction: 'out' }));
    // dans l'autre sens : le client mentionné a la commande qui le cite pour voisine
    const fromCustomer = (await neighbours(admin, 'customer', ids.customer3!)).json();
    expect(fromCustomer.edges).toContainEqual(expect.objectContaining({ from: noted, to: ids.customer3, field: 'note', direction: 'in' }));
    expect((await path(admin, `gr_order:${noted}`, `address:${ids.address3}`, 2)).json().length).toBe(2);

    // un même document joint à deux clients : chacun est à deux liens de l'autre par ses pièces jointes
    const upload = multipart(Buffer.from('contrat cadre'), 'contrat.txt');
    for (const customer of [ids.customer0!, ids.customer1!]) {
      const res = await admin.post(`/api/v1/files?${qs({ entity: 'customer', recordId: customer })}`, upload.payload, { 'content-type': upload.contentType });
      expect(res.statusCode, res.body).toBe(201);
    }
    const attached = (await neighbours(admin, 'customer', ids.customer1!)).json();
    expect(attached.nodes).toContainEqual(expect.objectContaining({ entity: 'attachment', label: 'contrat.txt', depth: 1 }));
    expect(attached.edges).toContainEqual(expect.objectContaining({ to: ids.customer1, field: 'recordId', label: 'Attached to' }));

    // lecteur sans droit sur les notes (règle de champ) : ni la mention ni la commande qui cite
    const kit = memberKit(server, tenant, admin);
    const role = await kit.role('orders without notes', ['customer:read', 'address:read', 'gr_order:read']);
    expect((await admin.post('/api/v1/data/field_rule', { role, entity: 'gr_order', field: 'note', access: 'hidden' })).statusCode).toBe(201);
    const noNotes = await kit.member('no-notes-reader', [role]);
    const seen = (await neighbours(noNotes.api, 'customer', ids.customer3!)).json();
    expect(seen.edges.some((e: { field: string }) => e.field === 'note')).toBe(false);
    expect(seen.nodes.some((n: { id: string }) => n.id === noted)).toBe(false);
    expect((await neighbours(noNotes.api, 'customer', ids.customer1!)).json().nodes.some((n: { entity: string }) => n.entity === 'attachment')).toBe(false);
  });

  it('answers 404 for another tenant’s record or an unknown entity, and keeps to the depth and size bounds', async () => {
    const other = await newTenant(server);
    const otherAdmin = client(server, other.token);
    const foreign = await create('customer', { name: 'Foreign' }, otherAdmin);
    expect((await neighbours(admin, 'customer', foreign)).statusCode).toBe(404);
    expect((await path(admin, `customer:${ids.customer0}`, `customer:${foreign}`)).statusCode).toBe(404);
    expect((await neighbours(otherAdmin, 'customer', ids.customer0!)).statusCode).toBe(404);
    expect((await neighbours(admin, 'nothing_here', ids.customer0!)).statusCode).toBe(404);

    const tooDeep = await neighbours(admin, 'customer', ids.customer0!, 4);
    expect(tooDeep.statusCode).toBe(400);
    expect(tooDeep.json().errors).toEqual([expect.objectContaining({ field: 'depth', message: expect.stringContaining('ai.local.graph.maxDepth') })]);
    expect((await admin.put('/api/v1/settings/ai.local.graph.maxNodes', { value: 3, level: 'tenant' })).statusCode).toBe(200);
    try {
      const cut = (await neighbours(admin, 'customer', ids.customer0!, 3)).json();
      expect(cut.nodes).toHaveLength(3);
      expect(cut.truncated).toBe(true);
    } finally {
      await admin.put('/api/v1/settings/ai.local.graph.maxNodes', { value: 60, level: 'tenant' });
    }
  });

  it('offers record_neighbours and path_between to the assistant and over MCP, with the user’s rights', async () => {
    const pat = (await admin.post('/api/v1/auth/tokens', { name: 'graph agent' })).json().token as string;
    const mcp = new McpClient({ name: 'graph-test', version: '1.0.0' });
    await mcp.connect(new StreamableHTTPClientTransport(mcpUrl, { requestInit: { headers: { authorization: `Bearer ${pat}` } } }));
    try {
      const names = (await mcp.listTools()).tools.map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(['record_neighbours', 'path_between']));
      const text = (r: Awaited<ReturnType<McpClient['callTool']>>) => JSON.parse((r.content as Array<{ text: string }>)[0]!.text);
      const found = await mcp.callTool({ name: 'record_neighbours', arguments: { entity: 'customer', id: ids.customer2 } });
      expect(found.isError).toBeFalsy();
      expect(text(found).records.map((r: { label: string }) => r.label).sort()).toEqual(['2 rue du Test', 'SO-20', 'SO-21']);
      const chain = await mcp.callTool({ name: 'path_between', arguments: { fromEntity: 'address', fromId: ids.address2, toEntity: 'gr_order', toId: ids['SO-21'] } });
      expect(chain.isError).toBeFalsy();
      expect(text(chain)).toMatchObject({ length: 2, links: ['Adresse 2 rue du Test —Party→ Client Customer 2', 'Order SO-21 —Customer→ Client Customer 2'].map(() => expect.any(String)) });
    } finally {
      await mcp.close();
    }
  });
});
