// Interprétation d'une question posée dans la recherche d'une liste : « Interprété comme : … », amovible ; les groupes
// d'un agrégat ; une autre entité s'ouvre par un lien ; une question incomprise propose des exemples.
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Button, MessageStrip } from '@ui5/webcomponents-react';
import type { NlAnswer } from './useNlQuery';

interface Props {
  entity: string;
  answer: NlAnswer & { question: string };
  onClear: () => void;
  className?: string;
}

const groupText = (answer: NlAnswer) => (answer.result?.groups ?? []).slice(0, 12)
  .map((g) => `${Object.values(g.keys).map((k) => (k ?? '—') as string).join(' / ')} : ${Object.values(g.values).join(' / ')}`).join(' · ');

export function NlQueryStrip({ entity, answer, onClear, className }: Props) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  if (!answer.understood) {
    const why = t(`nlQuery.reason.${answer.reason ?? 'not_understood'}`);
    return (
      <MessageStrip design="Critical" onClose={onClear} className={className} data-nl-query="not-understood">
        {why} {t('nlQuery.try')} {(answer.suggestions ?? []).slice(0, 3).map((s) => `« ${s} »`).join(', ')}
      </MessageStrip>
    );
  }
  const elsewhere = answer.entity !== entity;
  return (
    <MessageStrip design="Information" onClose={onClear} className={className} data-nl-query="interpreted">
      {t('nlQuery.interpreted', { explanation: answer.explanation })}
      {answer.aggregate && answer.result?.groups && ` — ${groupText(answer)}`}
      {elsewhere && (
        <Button design="Transparent" data-nl-open onClick={() => navigate(`/data/${answer.entity!}?${new URLSearchParams({ nl: answer.question })}`)}>
          {t('nlQuery.open', { label: answer.label ?? answer.entity })}
        </Button>
      )}
    </MessageStrip>
  );
}
