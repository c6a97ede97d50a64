// Dessin SVG d'un voisinage : positions calculées par le serveur (ForceAtlas2), une couleur par entité, liens
// nommés par leur champ ; chaque enregistrement voisin mène à sa fiche (clic ou Entrée).
import { useNavigate } from 'react-router';
import type { Neighbourhood } from './types';

const WIDTH = 640;
const HEIGHT = 360;
const PAD = 48;

/** Couleurs ordonnées du thème : une par entité, dans l'ordre d'apparition. */
const color = (index: number) => `var(--sapChart_OrderedColor_${(index % 11) + 1})`;

const shorten = (text: string, max = 22) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function RelationsGraph({ graph }: { graph: Neighbourhood }) {
  const navigate = useNavigate();
  const entities = [...new Set(graph.nodes.map((n) => n.entity))];
  const at = new Map(graph.nodes.map((n) => [n.id, { x: PAD + (n.x ?? 0.5) * (WIDTH - 2 * PAD), y: PAD + (n.y ?? 0.5) * (HEIGHT - 2 * PAD) }]));
  const open = (entity: string, id: string) => navigate(`/data/${entity}/${id}`);

  return (
    <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" role="img" data-graph="relations" style={{ maxHeight: '24rem', fontFamily: 'var(--sapFontFamily)' }}>
      {graph.edges.map((e) => {
        const [a, b] = [at.get(e.from)!, at.get(e.to)!];
        return (
          <g key={`${e.from}-${e.field}-${e.to}`} data-edge={e.field}>
            <title>{e.label}</title>
            <line x1={a.x} y1={a.y} x2={b.x} y2={b.y} stroke="var(--sapList_BorderColor)" strokeWidth={1.5} />
            <text x={(a.x + b.x) / 2} y={(a.y + b.y) / 2 - 3} fontSize={9} textAnchor="middle" fill="var(--sapContent_LabelColor)">{shorten(e.label, 18)}</text>
          </g>
        );
      })}
      {graph.nodes.map((n) => {
        const p = at.get(n.id)!;
        const center = n.id === graph.center;
        return (
          <g key={n.id} data-node={n.id} data-entity={n.entity} transform={`translate(${p.x},${p.y})`}
            role={center ? undefined : 'link'} tabIndex={center ? undefined : 0} aria-label={`${n.entityLabel} ${n.label}`}
            style={{ cursor: center ? 'default' : 'pointer' }}
            onClick={center ? undefined : () => open(n.entity, n.id)}
            onKeyDown={center ? undefined : (event) => { if (event.key === 'Enter') open(n.entity, n.id); }}>
            <title>{`${n.entityLabel} — ${n.label}`}</title>
            <circle r={center ? 11 : 8} fill={color(entities.indexOf(n.entity))} stroke={center ? 'var(--sapTextColor)' : 'none'} strokeWidth={2} />
            <text y={center ? 24 : 20} fontSize={11} textAnchor="middle" fill="var(--sapTextColor)" fontWeight={center ? 'bold' : 'normal'}>{shorten(n.label)}</text>
            <text y={center ? 35 : 31} fontSize={9} textAnchor="middle" fill="var(--sapContent_LabelColor)">{n.entityLabel}</text>
          </g>
        );
      })}
    </svg>
  );
}
