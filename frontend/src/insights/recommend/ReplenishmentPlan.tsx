// Onglet « Optimisation » de la page Analyses : plan de réapprovisionnement sous budget calculé par le module des
// stocks avec le solveur local (colis entiers, couverture des manques pondérée par la demande).
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Button, Input, Label, MessageStrip, Table, TableCell, TableHeaderCell, TableHeaderRow, TableRow, Text } from '@ui5/webcomponents-react';
import { api, isApiError, problemText } from '../../api/client';
import { RouterLink } from '../../components/RouterLink';
import classes from '../../admin/AdminPage.module.css';

interface PlanLine {
  product: string;
  sku: string;
  name: string;
  available: number;
  shortfall: number;
  packSize: number;
  packs: number;
  quantity: number;
  cost: number;
  coverage: number;
}

interface Plan {
  budget: number;
  spent: number;
  status: string;
  lines: PlanLine[];
}

const COLUMNS = ['product', 'available', 'shortfall', 'packSize', 'packs', 'quantity', 'cost', 'coverage'] as const;

export default function ReplenishmentPlan() {
  const { t, i18n } = useTranslation();
  // champ texte : le type Number de UI5 irait chercher ses données de locale (CLDR) hors de l'application
  const [budget, setBudget] = useState('1000');
  const plan = useMutation({ mutationFn: (value: number) => api.request<Plan>('POST', '/mod/inventory/replenishment-plan', { budget: value }) });
  const number = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 2 });
  const percent = new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 0 });
  const valid = budget.trim() !== '' && Number.isFinite(Number(budget)) && Number(budget) >= 0;
  const cells = (l: PlanLine) => [l.available, l.shortfall, l.packSize, l.packs, l.quantity, l.cost].map((v) => number.format(v));

  return (
    <div className={classes.form}>
      <Text className={classes.muted}>{t('recommend.plan.intro')}</Text>
      <div className={classes.row}>
        <Label for="plan-budget">{t('recommend.plan.budget')}</Label>
        <Input id="plan-budget" value={budget} accessibleName={t('recommend.plan.budget')} onInput={(e) => setBudget(e.target.value)} />
        <Button design="Emphasized" disabled={!valid || plan.isPending} data-action="plan" onClick={() => plan.mutate(Number(budget))}>{t('recommend.plan.compute')}</Button>
      </div>
      {plan.error && (
        <MessageStrip design="Negative" hideCloseButton role="alert">{isApiError(plan.error, 404) ? t('recommend.plan.unavailable') : problemText(plan.error)}</MessageStrip>
      )}
      {plan.data && (
        <>
          <Text data-plan-spent={plan.data.spent}>{t('recommend.plan.spent', { spent: number.format(plan.data.spent), budget: number.format(plan.data.budget) })}</Text>
          <Table accessibleName={t('recommend.plan.title')} data-insight="replenishment-plan" noDataText={t('recommend.plan.none')} headerRow={<TableHeaderRow>
            {COLUMNS.map((c) => <TableHeaderCell key={c}>{t(`recommend.plan.columns.${c}`)}</TableHeaderCell>)}
          </TableHeaderRow>}>
            {plan.data.lines.map((l) => (
              <TableRow key={l.product} rowKey={l.product} data-plan-line={l.sku} data-packs={l.packs}>
                <TableCell><RouterLink to={`/data/inv_product/${l.product}`} name="record">{`${l.sku} · ${l.name}`}</RouterLink></TableCell>
                {cells(l).map((v, i) => <TableCell key={COLUMNS[i + 1]}><Text>{v}</Text></TableCell>)}
                <TableCell><Text>{percent.format(l.coverage)}</Text></TableCell>
              </TableRow>
            ))}
          </Table>
        </>
      )}
    </div>
  );
}
