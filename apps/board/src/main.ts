// `pnpm start`: the embedded main job. Until the public board is served, it seeds the demo campaign into
// PGlite on first start, runs the projectors and prints campaign progress and the top of the rankings.
import * as E from 'fp-ts/lib/Either.js';
import { decodeEmbeddedConfig } from './config.js';
import { catchUpProjections, ensureDemo, openEmbedded, summarise } from './embedded.js';

const decoded = decodeEmbeddedConfig(process.env);
if (E.isLeft(decoded)) {
  for (const problem of decoded.left) process.stderr.write(`banshishi: ${problem}\n`);
  process.exit(2);
}
const config = decoded.right;

const percent = (n: number, of: number) => (of === 0 ? '—' : `${((100 * n) / of).toFixed(1)}%`);

const main = async () => {
  console.log(`办实事 banshishi — embedded mode, data in ${config.dataDir}`);
  const embedded = await openEmbedded(config);
  try {
    const started = performance.now();
    const { seeded, manifest } = await ensureDemo(embedded, config, (n) => {
      if (n % 500 === 0) process.stdout.write(`  seeding demo campaign: ${n} commands\r`);
    });
    if (seeded && manifest !== null) {
      const events = manifest.events.total;
      process.stdout.write('\n');
      console.log(
        `seeded the demo campaign (seed ${config.demoSeed}): ${events} events through the deciders in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
    } else {
      console.log('events already present: demo not seeded again');
    }
    const projecting = performance.now();
    await catchUpProjections(embedded);
    console.log(`projections up to date in ${((performance.now() - projecting) / 1000).toFixed(1)} s`);

    const summary = await summarise(embedded);
    if (summary.campaign === null || summary.progress === null) {
      console.log('no campaign in the store yet');
      return;
    }
    const p = summary.progress;
    console.log(`\n活动进度 campaign progress — ${summary.campaign.name}, as of ${p.day}`);
    console.log(
      `  解题 problems solved   ${String(p.problemsSolved).padStart(6)} / ${p.targetProblemsSolved}  (${percent(p.problemsSolved, p.targetProblemsSolved)})`,
    );
    console.log(
      `  圆梦 wishes fulfilled  ${String(p.wishesFulfilled).padStart(6)} / ${p.targetWishesFulfilled}  (${percent(p.wishesFulfilled, p.targetWishesFulfilled)})`,
    );
    console.log(
      `\n评价排名 street-level ranking, ${summary.rankingMonth ?? '—'} (composite score, units with ≥ 5 items)`,
    );
    if (summary.ranking.length === 0) console.log('  no unit has enough items to be ranked');
    for (const r of summary.ranking) {
      console.log(
        `  ${String(r.rank).padStart(2)}. ${r.unitName.padEnd(8, '\u3000')} score ${r.score?.toFixed(1) ?? '—'}  (${r.counted} items)`,
      );
    }
  } finally {
    await embedded.close();
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
