// Société de démonstration (OPSFLUX_DEMO=1, par défaut sur une base embarquée vide) : deux sociétés (France en EUR,
// États-Unis en USD) dans un groupe, sites et départements, calendriers avec jours fériés, deux ans de taux EUR/USD et
// EUR/GBP, 200 tiers répartis sur les quatre rôles avec adresses, catégories et étiquettes, utilisateurs de
// démonstration par rôle. Idempotent : rien n'est recréé si la société de démonstration existe.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { ensureTenant } from '../tenancy/tenants.js';
import { systemContext } from '../engine/context.js';
import { createUser, type UserSetupDeps } from '../iam/bootstrap.js';
import { importRates } from '../services/reference/exchange-rates.js';
import { address, companyName, dailyRates, frenchHolidays, personName, pick, seededRandom, usHolidays } from './generators.js';
import { DEMO_ROLES } from './roles.js';
import { demoOverview } from './dashboards.js';

export interface DemoResult {
  created: boolean;
  tenant: string;
  users: { email: string; role: string }[];
  password?: string;
}

type Create = (entity: string, data: Record<string, unknown>) => Promise<Record<string, unknown>>;

export async function loadDemo(deps: UserSetupDeps, options: { tenant?: string; password?: string; today?: string } = {}): Promise<DemoResult> {
  const slug = options.tenant ?? 'demo';
  const tenant = await ensureTenant(deps.db, slug, 'OpsFlux Demo');
  const users = DEMO_ROLES.map((r) => ({ email: `${r.key}@${slug}.opsflux.local`, role: r.name }));
  const catalog = await deps.catalog(tenant.id);
  const ctx = systemContext(tenant.id, `demo-${Date.now()}`);
  const exists = await deps.tenantTx(ctx, async (trx) => (await sql`SELECT 1 FROM company WHERE eid = 'demo-company-fr'`.execute(trx)).rows.length > 0);
  if (exists) return { created: false, tenant: slug, users };

  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const year = Number(today.slice(0, 4));
  const random = seededRandom(2026);
  await deps.tenantTx(ctx, async (trx) => {
    const create: Create = (entity, data) => deps.records.create(trx, ctx, catalog, catalog.get(entity)!, data);
    const byCode = async (entity: string, codes: string[]) => {
      const { rows } = await sql<{ id: string; code: string }>`SELECT id, code FROM ${sql.table(catalog.get(entity)!.table)} WHERE code IN (${sql.join(codes)})`.execute(trx);
      return Object.fromEntries(rows.map((r) => [r.code, r.id]));
    };
    const currency = await byCode('currency', ['EUR', 'USD', 'GBP']);
    const country = await byCode('country', ['FR', 'US', 'DE', 'GB', 'IT', 'CA']);

    const group = await create('company', { eid: 'demo-group', name: 'OpsFlux Demo Group', code: 'GRP', baseCurrency: currency.EUR });
    const fr = await create('company', {
      eid: 'demo-company-fr', name: 'OpsFlux Demo France', legalName: 'OpsFlux Demo France SAS', code: 'FR01', parent: group.id,
      country: country.FR, baseCurrency: currency.EUR, currencies: [currency.EUR, currency.USD, currency.GBP],
      registrationNumber: '912 345 678 RCS Paris', taxId: 'FR40912345678', fiscalYearStartMonth: 1,
    });
    const us = await create('company', {
      eid: 'demo-company-us', name: 'OpsFlux Demo Inc.', legalName: 'OpsFlux Demo Inc.', code: 'US01', parent: group.id,
      country: country.US, baseCurrency: currency.USD, currencies: [currency.USD, currency.EUR], taxId: '98-7654321', fiscalYearStartMonth: 10,
    });

    const sites = [
      { eid: 'demo-site-paris', name: 'Paris headquarters', company: fr.id, city: 'Paris', postalCode: '75008', line1: '12 rue de la Boétie', country: country.FR },
      { eid: 'demo-site-lyon', name: 'Lyon warehouse', company: fr.id, city: 'Lyon', postalCode: '69007', line1: '40 avenue Jean Jaurès', country: country.FR },
      { eid: 'demo-site-nyc', name: 'New York office', company: us.id, city: 'New York', postalCode: '10001', line1: '350 Fifth Avenue', country: country.US, timezone: 'America/New_York' },
      { eid: 'demo-site-chicago', name: 'Chicago distribution centre', company: us.id, city: 'Chicago', postalCode: '60607', line1: '900 W Jackson Blvd', country: country.US, timezone: 'America/Chicago' },
    ];
    for (const site of sites) await create('site', site);
    for (const [company, prefix] of [[fr, 'FR'], [us, 'US']] as const) {
      const operations = await create('business_unit', { name: 'Operations', code: `${prefix}-OPS`, company: company.id, costCentre: true });
      await create('business_unit', { name: 'Warehouse', code: `${prefix}-WH`, company: company.id, parent: operations.id, costCentre: true });
      await create('business_unit', { name: 'Sales', code: `${prefix}-SAL`, company: company.id, profitCentre: true });
      await create('business_unit', { name: 'Finance', code: `${prefix}-FIN`, company: company.id, costCentre: true });
    }

    const years = [year - 1, year];
    for (const [name, company, holidays, timezone] of [['France', fr, frenchHolidays(years), 'Europe/Paris'], ['United States', us, usHolidays(years), 'America/New_York']] as const) {
      const calendar = await create('calendar', { name, company: company.id, timezone });
      for (const holiday of holidays) await create('holiday', { calendar: calendar.id, ...holiday });
    }

    const rates = [
      ...dailyRates(random, today, 730, 1.08, 0.006).map((r) => ({ ...r, base: 'EUR', quote: 'USD', source: 'demo' })),
      ...dailyRates(random, today, 730, 0.86, 0.004).map((r) => ({ ...r, base: 'EUR', quote: 'GBP', source: 'demo' })),
    ];
    await importRates(trx, ctx, rates);

    const categories: Record<string, string> = {};
    for (const [key, name, parent] of [['customers', 'Customers'], ['retail', 'Retail', 'customers'], ['wholesale', 'Wholesale', 'customers'],
      ['public', 'Public sector', 'customers'], ['suppliers', 'Suppliers'], ['materials', 'Raw materials', 'suppliers'],
      ['services', 'Services', 'suppliers'], ['logistics', 'Logistics', 'suppliers']] as const) {
      categories[key] = (await create('category', { name, code: `demo-${key}`, appliesTo: 'party', ...(parent ? { parent: categories[parent] } : {}) })).id as string;
    }
    const tags = ['vip', 'new', 'strategic', 'late-payer', 'eco'];
    for (const name of tags) await create('tag', { name });

    for (let i = 0; i < 200; i++) {
      const role = i < 100 ? 'customer' : i < 150 ? 'supplier' : i < 180 ? 'employee' : 'partner';
      const person = role === 'employee' || (role === 'customer' && i % 5 === 0);
      const names = person ? { kind: 'person', ...personName(random) } : { kind: 'organisation', name: companyName(random, i) };
      const home = address(random);
      const category = role === 'customer' ? categories[pick(random, ['retail', 'wholesale', 'public'])]
        : role === 'supplier' ? categories[pick(random, ['materials', 'services', 'logistics'])] : undefined;
      const base = {
        eid: `demo-party-${String(i + 1).padStart(3, '0')}`, ...names, category,
        email: `contact${i + 1}@example.com`, tags: random() < 0.3 ? [pick(random, tags)] : [],
      };
      const roleFields = role === 'customer' ? { customerCode: `C${String(i + 1).padStart(4, '0')}`, paymentTermDays: pick(random, [0, 30, 45, 60]), creditLimit: { amount: `${(5 + Math.floor(random() * 95)) * 1000}.00`, currency: home.country === 'US' ? 'USD' : 'EUR' } }
        : role === 'supplier' ? { supplierCode: `S${String(i + 1).padStart(4, '0')}`, leadTimeDays: 2 + Math.floor(random() * 20) }
          : role === 'employee' ? { employeeNumber: `E${String(i + 1).padStart(4, '0')}`, jobTitle: pick(random, ['Buyer', 'Accountant', 'Sales rep', 'Warehouse lead', 'Engineer']) }
            : { partnerType: pick(random, ['reseller', 'integrator', 'referrer']) };
      const party = await create(role, { ...base, ...roleFields });
      // quelques clients sont aussi fournisseurs : un seul tiers, deux rôles
      if (role === 'customer' && i % 10 === 3) await create('supplier', { id: party.id, name: party.name, supplierCode: `S${String(i + 1).padStart(4, '0')}` });
      await create('address', { party: party.id, type: 'billing', line1: home.line1, city: home.city, postalCode: home.postalCode, country: country[home.country], primary: true });
      if (role === 'customer' && random() < 0.4) {
        const shipping = address(random);
        await create('address', { party: party.id, type: 'shipping', line1: shipping.line1, city: shipping.city, postalCode: shipping.postalCode, country: country[shipping.country] });
      }
    }
    await create('dashboard', demoOverview());
    await create('licence', { name: 'OpsFlux CRM', kind: 'module', module: 'crm', seats: 25, seatsUsed: 12, expiresOn: `${year + 1}-01-31` });
  }, { write: true });

  const password = options.password ?? randomBytes(9).toString('base64url');
  await createDemoUsers(deps, tenant.id, slug, password);
  return { created: true, tenant: slug, users, password };
}

async function createDemoUsers(deps: UserSetupDeps, tenantId: string, slug: string, password: string): Promise<void> {
  const ctx = systemContext(tenantId, `demo-users-${Date.now()}`);
  for (const role of DEMO_ROLES) {
    const { id } = await createUser(deps, { email: `${role.key}@${slug}.opsflux.local`, password, tenant: slug, displayName: role.name, superAdmin: false });
    const catalog = await deps.catalog(tenantId);
    await deps.tenantTx(ctx, async (trx) => {
      const codes = role.permissions(catalog);
      const { rows } = codes.length ? await sql<{ id: string }>`SELECT id FROM permission WHERE code IN (${sql.join(codes)})`.execute(trx) : { rows: [] };
      const created = await deps.records.create(trx, ctx, catalog, catalog.get('role')!, {
        name: role.name, admin: role.admin ?? false, permissions: rows.map((r) => r.id),
      });
      await deps.records.update(trx, ctx, catalog, catalog.get('user')!, id, { roles: [created.id] });
    }, { write: true });
  }
}
