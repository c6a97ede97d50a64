// Dictée d'une question : la reconnaissance vocale du navigateur quand le tenant la permet (ai.browserSpeech) et que
// le navigateur l'offre ; sinon — ou si elle échoue, faute de réseau vers le service de l'éditeur — la voix est
// enregistrée puis transcrite par le fournisseur du tenant (POST /api/v1/ai/transcriptions). Le serveur dit ce qui
// est offert (GET /api/v1/ai/capabilities).
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { sessionFetch, sessionHeaders } from '../api/client';
import { useAiCapabilities } from './useAiCapabilities';

type Recognition = {
  lang: string;
  onresult: (e: { results: ArrayLike<ArrayLike<{ transcript: string }>> }) => void;
  onerror: (e: { error: string }) => void;
  onend: () => void;
  start: () => void;
  stop: () => void;
};
type RecognitionClass = new () => Recognition;
const BrowserRecognition = (window as unknown as { SpeechRecognition?: RecognitionClass; webkitSpeechRecognition?: RecognitionClass }).SpeechRecognition
  ?? (window as unknown as { webkitSpeechRecognition?: RecognitionClass }).webkitSpeechRecognition;
const canRecord = typeof MediaRecorder !== 'undefined' && Boolean(navigator.mediaDevices?.getUserMedia);

/** Une dictée s'arrête d'elle-même après ce temps (une question, pas un discours). */
const MAX_RECORDING_MS = 60_000;

export type DictationState = 'idle' | 'listening' | 'transcribing';

export function useDictation(onText: (text: string) => void) {
  const { i18n, t } = useTranslation();
  const capabilities = useAiCapabilities();
  const [state, setState] = useState<DictationState>('idle');
  const [error, setError] = useState<string>();
  // la reconnaissance du navigateur a échoué (service injoignable) : la suite passe par l'enregistrement
  const [browserFailed, setBrowserFailed] = useState(false);
  const stopRef = useRef<() => void>(undefined);
  useEffect(() => () => stopRef.current?.(), []);

  const transcription = Boolean(capabilities?.transcription) && canRecord;
  const browser = Boolean(BrowserRecognition) && capabilities?.browserSpeech !== false && !browserFailed;
  const available = browser || transcription;

  const record = useCallback(async () => {
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch {
      setError(t('assistant.dictation.noMicrophone'));
      return;
    }
    const recorder = new MediaRecorder(stream);
    const chunks: Blob[] = [];
    recorder.ondataavailable = (e) => e.data.size && chunks.push(e.data);
    const timer = setTimeout(() => recorder.state === 'recording' && recorder.stop(), MAX_RECORDING_MS);
    recorder.onstop = async () => {
      clearTimeout(timer);
      stream.getTracks().forEach((track) => track.stop());
      stopRef.current = undefined;
      setState('transcribing');
      const form = new FormData();
      const type = recorder.mimeType || 'audio/webm';
      form.append('file', new Blob(chunks, { type }), `dictation.${type.includes('ogg') ? 'ogg' : 'webm'}`);
      try {
        const response = await sessionFetch('/api/v1/ai/transcriptions', { method: 'POST', credentials: 'same-origin', headers: sessionHeaders(), body: form });
        const body = await response.json() as { text?: string; detail?: string };
        if (!response.ok) setError(body.detail ?? t('errors.unexpected'));
        else if (body.text) onText(body.text.trim());
      } catch {
        setError(t('errors.unexpected'));
      }
      setState('idle');
    };
    stopRef.current = () => recorder.state === 'recording' && recorder.stop();
    recorder.start();
    setState('listening');
  }, [onText, t]);

  const listenInBrowser = useCallback(() => {
    const recognition = new BrowserRecognition!();
    recognition.lang = i18n.language === 'fr' ? 'fr-FR' : 'en-US';
    // passée à l'enregistrement : la fin de la reconnaissance ne doit pas remettre l'état au repos
    let handedOver = false;
    recognition.onresult = (e) => onText(e.results[0]?.[0]?.transcript ?? '');
    recognition.onerror = (e) => {
      if (['network', 'service-not-allowed', 'language-not-supported'].includes(e.error) && transcription) {
        handedOver = true;
        setBrowserFailed(true);
        void record();
      } else if (e.error !== 'no-speech' && e.error !== 'aborted') setError(t('assistant.dictation.failed'));
    };
    recognition.onend = () => {
      if (handedOver) return;
      stopRef.current = undefined;
      setState('idle');
    };
    stopRef.current = () => recognition.stop();
    recognition.start();
    setState('listening');
  }, [i18n.language, onText, record, t, transcription]);

  /** Un appui commence la dictée, le suivant l'arrête (l'enregistrement part alors à la transcription). */
  const toggle = useCallback(() => {
    setError(undefined);
    if (state === 'listening') return stopRef.current?.();
    if (state !== 'idle') return;
    if (browser) listenInBrowser();
    else if (transcription) void record();
  }, [browser, listenInBrowser, record, state, transcription]);

  return { available, state, error, toggle };
}
