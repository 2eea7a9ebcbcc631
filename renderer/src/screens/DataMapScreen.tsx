// Data map: systems, collections, fields and their PII categories; run PII discovery on a system
// and review its draft. Uses the data-map area's ops (datamap.*) when the back end offers them.
import { useApi } from '../api/context';
import { Section } from '../components/ui';
import { DataMapView } from './datamap/DataMapView';

export function DataMapScreen() {
  const { ops } = useApi();
  return (
    <div className="datamap">
      <header className="page-head"><h1>Data map</h1><p className="muted">Where personal information lives, and how the records link.</p></header>
      {ops.has('datamap.systems') ? <DataMapView /> : (
        <Section title="No data map yet">
          <p>This back end has no data-map operations. Register systems with <code>privacy-desk datamap</code> commands, or start the console on the demo data.</p>
        </Section>
      )}
    </div>
  );
}
