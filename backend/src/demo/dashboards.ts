// Tableau de bord de démonstration « Vue d'ensemble », partagé avec tous : clients, encours, cours EUR/USD.
const title = (en: string, fr: string) => ({ en, fr });

export function demoOverview(): Record<string, unknown> {
  return {
    eid: 'demo-dashboard-overview',
    name: 'Overview',
    description: 'Customers, credit limits and the EUR/USD rate',
    shared: true,
    widgets: [
      { id: 'customers', type: 'kpi', title: title('Customers', 'Clients'), x: 0, y: 0, w: 3, h: 3, query: { entity: 'customer', measures: [{ fn: 'count' }] } },
      {
        id: 'credit', type: 'kpi', title: title('Credit limits (EUR)', 'Encours autorisés (EUR)'), x: 3, y: 0, w: 3, h: 3,
        query: { entity: 'customer', measures: [{ fn: 'sum', field: 'creditLimit' }], currency: { code: 'EUR' } },
      },
      {
        id: 'by-category', type: 'column', title: title('Customers by category', 'Clients par catégorie'), x: 6, y: 0, w: 6, h: 5,
        query: { entity: 'customer', measures: [{ fn: 'count' }], dimensions: [{ field: 'category.name' }] },
      },
      {
        id: 'eur-usd', type: 'line', title: title('EUR/USD by month', 'EUR/USD par mois'), x: 0, y: 3, w: 6, h: 5, dateField: 'date',
        query: { entity: 'exchange_rate', measures: [{ fn: 'avg', field: 'rate' }], dimensions: [{ field: 'date', bucket: 'month' }], filter: { 'quote.code': 'USD' } },
      },
      {
        id: 'terms', type: 'donut', title: title('Payment terms (days)', 'Délais de paiement (jours)'), x: 6, y: 5, w: 6, h: 5,
        query: { entity: 'customer', measures: [{ fn: 'count' }], dimensions: [{ field: 'paymentTermDays' }] },
      },
      {
        id: 'credit-by-category', type: 'table', title: title('Credit limits by category', 'Encours par catégorie'), x: 0, y: 8, w: 6, h: 4,
        query: { entity: 'customer', measures: [{ fn: 'sum', field: 'creditLimit' }, { fn: 'count' }], dimensions: [{ field: 'category.name' }], currency: { code: 'EUR' } },
      },
    ],
  };
}
