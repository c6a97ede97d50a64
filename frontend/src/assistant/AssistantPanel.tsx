// Panneau de l'assistant dans le cadre de l'application : questions, réponses en flux avec liens vers les
// enregistrements cités, cartes des écritures proposées (confirmer / annuler), dictée (reconnaissance du navigateur
// ou transcription par le fournisseur du tenant).
import { Fragment, useCallback, useEffect, useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Bar, BusyIndicator, Button, Card, CardHeader, Link, MessageStrip, Text, TextArea, Title } from '@ui5/webcomponents-react';
import { useAssistant, type ProposalCard } from './useAssistant';
import { useDictation } from './useDictation';
import classes from './AssistantPanel.module.css';

/** Texte de l'assistant dont les liens markdown vers l'application deviennent des liens du routeur. */
function AnswerText({ text, open }: { text: string; open: (path: string) => void }) {
  const parts: ReactNode[] = [];
  const link = /\[([^\]]+)\]\((\/data\/[a-z0-9_]+(?:\/[0-9a-f-]{36})?)\)/g;
  let last = 0;
  for (let match = link.exec(text); match; match = link.exec(text)) {
    parts.push(text.slice(last, match.index));
    const path = match[2]!;
    parts.push(<Link key={match.index} data-link={path} onClick={(e) => { e.preventDefault(); open(path); }}>{match[1]}</Link>);
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return <Text className={classes.answer} data-role="answer">{parts.map((p, i) => <Fragment key={i}>{p}</Fragment>)}</Text>;
}

function Proposal({ proposal, decide }: { proposal: ProposalCard; decide: (id: string, d: 'confirm' | 'cancel') => void }) {
  const { t } = useTranslation();
  return (
    <Card data-proposal={proposal.id} data-status={proposal.status} header={<CardHeader titleText={t(`assistant.action.${proposal.action}`, { entity: proposal.entity })} subtitleText={proposal.summary ?? ''} />}>
      <div className={classes.proposal}>
        {proposal.error && <MessageStrip design="Negative" hideCloseButton>{proposal.error}</MessageStrip>}
        {proposal.status === 'pending' ? (
          <>
            <Button design="Emphasized" data-action="confirm-proposal" onClick={() => decide(proposal.id, 'confirm')}>{t('assistant.confirm')}</Button>
            <Button design="Transparent" data-action="cancel-proposal" onClick={() => decide(proposal.id, 'cancel')}>{t('assistant.cancel')}</Button>
          </>
        ) : <Text>{t(`assistant.status.${proposal.status}`)}</Text>}
      </div>
    </Card>
  );
}

interface PanelProps {
  /** question posée par une page (« expliquer cet enregistrement »), envoyée dès l'ouverture */
  question?: string;
  onQuestionTaken?: () => void;
  onClose: () => void;
}

export function AssistantPanel({ question: queued, onQuestionTaken, onClose }: PanelProps) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { turns, busy, ask, decide, reset } = useAssistant();
  const [question, setQuestion] = useState('');
  const dictation = useDictation(useCallback((text: string) => setQuestion((q) => (q.trim() ? `${q.trim()} ${text}` : text)), []));
  useEffect(() => {
    if (!queued || busy) return;
    onQuestionTaken?.();
    void ask(queued);
  }, [queued, busy, ask, onQuestionTaken]);

  const send = () => {
    const text = question.trim();
    if (!text || busy) return;
    setQuestion('');
    void ask(text);
  };

  return (
    <aside className={classes.panel} data-testid="assistant-panel" aria-label={t('assistant.title')}>
      <Bar
        startContent={<Title level="H5">{t('assistant.title')}</Title>}
        endContent={<>
          <Button icon="add" design="Transparent" tooltip={t('assistant.new')} accessibleName={t('assistant.new')} onClick={reset} />
          <Button icon="decline" design="Transparent" tooltip={t('assistant.close')} accessibleName={t('assistant.close')} onClick={onClose} />
        </>}
      />
      <div className={classes.turns} aria-live="polite">
        {turns.length === 0 && <Text className={classes.hint}>{t('assistant.hint')}</Text>}
        {turns.map((turn, index) => (
          <div key={index} className={classes.turn} data-turn={index} data-done={turn.done}>
            <Text className={classes.question}>{turn.question}</Text>
            {turn.tools.length > 0 && <Text className={classes.tools}>{t('assistant.used', { tools: turn.tools.join(', ') })}</Text>}
            <AnswerText text={turn.answer || (turn.done ? '' : '…')} open={(path) => navigate(path)} />
            {turn.citations.length > 0 && (
              <div className={classes.citations} data-role="citations">
                {turn.citations.map((c) => (
                  <Link key={`${c.entity}/${c.id}`} data-link={c.link} onClick={(e) => { e.preventDefault(); navigate(c.link); }}>{c.label}</Link>
                ))}
              </div>
            )}
            {turn.proposals.map((p) => <Proposal key={p.id} proposal={p} decide={(id, d) => void decide(id, d)} />)}
            {turn.error && <MessageStrip design="Negative" hideCloseButton data-role="error">{turn.error}</MessageStrip>}
          </div>
        ))}
      </div>
      {dictation.error && <MessageStrip design="Negative" hideCloseButton data-role="dictation-error">{dictation.error}</MessageStrip>}
      <div className={classes.composer}>
        <TextArea
          value={question}
          rows={2}
          placeholder={t('assistant.placeholder')}
          accessibleName={t('assistant.placeholder')}
          data-role="question"
          onInput={(e) => setQuestion(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              send();
            }
          }}
        />
        {dictation.state === 'transcribing'
          ? <BusyIndicator active size="S" data-role="transcribing" aria-label={t('assistant.dictation.transcribing')} />
          : dictation.available && (
            <Button
              icon={dictation.state === 'listening' ? 'stop' : 'microphone'}
              design={dictation.state === 'listening' ? 'Negative' : 'Transparent'}
              tooltip={t(dictation.state === 'listening' ? 'assistant.dictation.stop' : 'assistant.voice')}
              accessibleName={t(dictation.state === 'listening' ? 'assistant.dictation.stop' : 'assistant.voice')}
              data-action="dictate" data-state={dictation.state}
              onClick={dictation.toggle}
            />
          )}
        <Button icon="paper-plane" design="Emphasized" disabled={busy} tooltip={t('assistant.send')} accessibleName={t('assistant.send')} data-action="ask" onClick={send} />
      </div>
    </aside>
  );
}
