// Graphe des successions directes en SVG : les états de gauche à droite dans l'ordre moyen où ils sont atteints,
// les passages vers l'avant en arc au-dessus, les retours au-dessous ; épaisseur selon le nombre, étiquette
// « nombre · durée médiane », le goulet (transition la plus lente) en rouge.
import { useTranslation } from 'react-i18next';
import { duration } from './duration';
import type { ProcessResult } from './types';

const STEP = 170;
const PAD = 70;
const MID = 170;

export function ProcessMapSvg({ map }: { map: ProcessResult }) {
  const { t } = useTranslation();
  const order = map.states.map((s) => s.state);
  const x = (state: string) => PAD + order.indexOf(state) * STEP;
  const width = PAD * 2 + Math.max(0, order.length - 1) * STEP;
  const heaviest = Math.max(1, ...map.edges.map((e) => e.count));
  const slowest = map.bottlenecks[0];
  const name = (state: string) => map.labels[state] ?? state;

  return (
    <svg viewBox={`0 0 ${width} ${MID * 2}`} width="100%" role="img" data-graph="process" style={{ maxHeight: '26rem', fontFamily: 'var(--sapFontFamily)' }}>
      <defs>
        <marker id="pm-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" fill="context-stroke" />
        </marker>
      </defs>
      {map.edges.map((e) => {
        const [a, b] = [x(e.from), x(e.to)];
        const forward = b > a;
        const span = Math.abs(order.indexOf(e.to) - order.indexOf(e.from));
        const lift = (forward ? -1 : 1) * (30 + 34 * span);
        const [y0, y1] = [MID + (forward ? -14 : 14), MID + (forward ? -14 : 14)];
        const apex = { x: (a + b) / 2, y: MID + lift };
        const bottleneck = slowest && slowest.from === e.from && slowest.to === e.to;
        const stroke = bottleneck ? 'var(--sapNegativeColor)' : 'var(--sapChart_OrderedColor_1)';
        return (
          <g key={`${e.from}>${e.to}`} data-transition={`${e.from}>${e.to}`} data-bottleneck={bottleneck ? 'true' : undefined}>
            <title>{t('graphProcess.process.edgeTitle', { from: name(e.from), to: name(e.to), count: e.count, mean: duration(t, e.meanMs), median: duration(t, e.medianMs) })}</title>
            <path d={`M ${a} ${y0} Q ${apex.x} ${apex.y} ${b} ${y1}`} fill="none" stroke={stroke} strokeWidth={1 + 5 * (e.count / heaviest)} markerEnd="url(#pm-arrow)" opacity={0.85} />
            <text x={apex.x} y={MID + lift / 2 + (forward ? -2 : 10)} fontSize={11} textAnchor="middle" fill={bottleneck ? 'var(--sapNegativeTextColor)' : 'var(--sapTextColor)'}>
              {`${e.count} · ${duration(t, e.medianMs)}`}
            </text>
          </g>
        );
      })}
      {map.states.map((s) => (
        <g key={s.state} data-state={s.state} transform={`translate(${x(s.state)},${MID})`}>
          <title>{t('graphProcess.process.stateTitle', { state: name(s.state), cases: s.cases, starts: s.starts, ends: s.ends })}</title>
          <rect x={-58} y={-14} width={116} height={28} rx={14} fill="var(--sapTile_Background)" stroke="var(--sapTile_BorderColor, var(--sapList_BorderColor))" />
          <text y={4} fontSize={12} textAnchor="middle" fill="var(--sapTextColor)">{name(s.state).slice(0, 18)}</text>
        </g>
      ))}
    </svg>
  );
}
