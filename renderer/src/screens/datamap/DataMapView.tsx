// Filled in against the data-map ops (datamap.*) once their contract is known.
import { Section } from '../../components/ui';

export function DataMapView() {
  return <Section title="Systems"><p className="muted">Loading…</p></Section>;
}
