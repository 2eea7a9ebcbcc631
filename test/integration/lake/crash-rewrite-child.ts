// Child process for the lake crash test: erases one identity from the big file of a lake folder
// and reports the rewrite stages on stdout, so the parent can SIGKILL it mid-rewrite.
//   node --import tsx crash-rewrite-child.ts <lakeDir> <mode>
// mode "during-write": report WRITING and carry on (the parent kills while DuckDB writes the scratch file)
//      "before-swap":  report WRITTEN (scratch complete and checked) and wait to be killed before the swap
import { ParquetLakeSource } from '../../../shared/adapters/lake/parquet-lake';
import { crashLakeConfig, VICTIM } from './crash-lake';

const [, , dir, mode] = process.argv;
const say = (line: string) => process.stdout.write(`${line}\n`);

async function run(): Promise<void> {
  const lake = ParquetLakeSource.open(crashLakeConfig(dir!), {
    observe: async (stage) => {
      if (stage === 'writing') say('WRITING');
      if (stage === 'written') {
        say('WRITTEN');
        if (mode === 'before-swap') await new Promise((r) => setTimeout(r, 120_000));
      }
    },
  });
  const res = await lake.eraseBatch('events', [{ id: 'victim', matches: [{ field: 'email', values: [VICTIM] }] }]);
  say(`DONE ${res.rowsDeleted}`);
  await lake.close();
}
run().catch((e) => { process.stderr.write(`${String(e)}\n`); process.exit(1); });
